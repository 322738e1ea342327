import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { SensorRecord } from "../ingestion/record.js";
import { UserInputError } from "../runtime/user-input-error.js";
import {
  labelWindowsFromRecords,
  loadNabWindows,
  nabWindowsForFile,
  normalizeLabelWindows,
  parseNabTimestamp,
  parseNabWindows,
} from "./labels.js";

const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));
const tracesDir = process.env.TRACES_DIR ?? resolve(repositoryRoot, "../shared/traces");
const isTracesRequired = process.env.REQUIRE_SERVICES === "1";
const hasTraces = existsSync(tracesDir);
const missingTracesNote = `traces directory not found at ${tracesDir}; set TRACES_DIR`;

function label(eventTimeUs: number, value: number | null, deviceId = "valve1"): SensorRecord {
  return { deviceId, metric: "anomaly", eventTimeUs, value };
}

describe("parseNabTimestamp", () => {
  it("reads a zoneless timestamp as UTC by default", () => {
    expect(parseNabTimestamp("2015-09-11 15:34:00.000000")).toBe(1_441_985_640_000_000);
  });

  it("keeps microsecond fractions", () => {
    expect(parseNabTimestamp("1970-01-01 00:00:01.000123")).toBe(1_000_123);
  });

  it("reads the wall clock in the given zone", () => {
    // Pacific Daylight Time is UTC-7 in September.
    const utcUs = parseNabTimestamp("2015-09-11 15:34:00.000000");
    const pacificUs = parseNabTimestamp("2015-09-11 15:34:00.000000", "America/Los_Angeles");

    expect(pacificUs - utcUs).toBe(7 * 3600 * 1_000_000);
  });

  it("rejects text that is not a timestamp", () => {
    expect(() => parseNabTimestamp("11/09/2015 15:34")).toThrow(UserInputError);
    expect(() => parseNabTimestamp("11/09/2015 15:34")).toThrow(
      'invalid NAB timestamp "11/09/2015 15:34": ' +
        'expected "YYYY-MM-DD hh:mm:ss" with up to 6 fraction digits',
    );
  });

  it("rejects an unknown zone", () => {
    expect(() => parseNabTimestamp("2015-09-11 15:34:00", "Mars/Olympus")).toThrow(
      'invalid NAB timestamp "2015-09-11 15:34:00" in zone "Mars/Olympus": ' +
        'the zone "Mars/Olympus" is not supported',
    );
  });
});

describe("parseNabWindows", () => {
  it("converts pairs per file key", () => {
    const windows = parseNabWindows({
      "realTraffic/a.csv": [["2015-01-01 00:00:00.000000", "2015-01-01 00:00:01.000000"]],
      "realTraffic/b.csv": [],
    });

    expect(windows.get("realTraffic/a.csv")).toEqual([
      { startUs: 1_420_070_400_000_000, endUs: 1_420_070_401_000_000 },
    ]);
    expect(windows.get("realTraffic/b.csv")).toEqual([]);
  });

  it("rejects a window that ends before it starts", () => {
    const json = { "x/a.csv": [["2015-01-02 00:00:00", "2015-01-01 00:00:00"]] };

    expect(() => parseNabWindows(json)).toThrow('invalid NAB window 0 for "x/a.csv"');
  });

  it("rejects a pair of the wrong length", () => {
    expect(() => parseNabWindows({ "x/a.csv": [["2015-01-01 00:00:00"]] })).toThrow(
      'invalid NAB window 0 for "x/a.csv": expected a pair of timestamp strings',
    );
  });
});

describe("nabWindowsForFile", () => {
  const windows = parseNabWindows({
    "realTraffic/speed_7578.csv": [["2015-01-01 00:00:00", "2015-01-01 01:00:00"]],
    "realTraffic/speed_t4013.csv": [],
  });

  it("finds a file by any accepted name", () => {
    for (const name of [
      "realTraffic/speed_7578.csv",
      "speed_7578.csv",
      "speed_7578",
      "nab_realTraffic_speed_7578.csv",
      "nab_speed_7578.csv",
    ]) {
      expect(nabWindowsForFile(windows, name)).toHaveLength(1);
    }
  });

  it("rejects an unknown file", () => {
    expect(() => nabWindowsForFile(windows, "speed_0000")).toThrow(
      'no NAB windows for "speed_0000"',
    );
  });
});

describe("NAB windows file", () => {
  it("holds 4 windows for speed_7578", async (context) => {
    if (!hasTraces && !isTracesRequired) {
      context.skip(missingTracesNote);
    }
    const windows = await loadNabWindows(
      resolve(tracesDir, "smart_city/nab_combined_windows.json"),
    );
    const speed = nabWindowsForFile(windows, "nab_realTraffic_speed_7578.csv");

    expect(speed).toHaveLength(4);
    expect(speed[0].startUs).toBe(parseNabTimestamp("2015-09-11 15:34:00.000000"));
    expect(speed[0].endUs).toBe(parseNabTimestamp("2015-09-11 17:54:00.000000"));
  });

  it("holds 4 windows for machine_temperature_system_failure", async (context) => {
    if (!hasTraces && !isTracesRequired) {
      context.skip(missingTracesNote);
    }
    const windows = await loadNabWindows(resolve(tracesDir, "industry/nab_combined_windows.json"));
    const machine = nabWindowsForFile(windows, "nab_machine_temperature_system_failure.csv");

    expect(machine).toHaveLength(4);
    expect(machine[3].endUs).toBe(parseNabTimestamp("2014-02-09 14:05:00.000000"));
  });

  it("rejects a missing file", async () => {
    await expect(loadNabWindows(resolve(repositoryRoot, "no-such-windows.json"))).rejects.toThrow(
      "cannot read NAB windows file",
    );
  });
});

describe("labelWindowsFromRecords", () => {
  it("turns runs of non-zero labels into windows", () => {
    const records = [
      label(1, 0),
      label(2, 1),
      label(3, 1),
      label(4, 0),
      label(5, 1),
      label(6, null),
      label(7, 1),
      { ...label(3, 5), metric: "Pressure" },
    ];

    expect(labelWindowsFromRecords(records, "anomaly")).toEqual([
      { startUs: 2, endUs: 3 },
      { startUs: 5, endUs: 7 },
    ]);
  });

  it("reads labels carried beside readings", () => {
    const reading = (eventTimeUs: number, anomaly: number | null): SensorRecord => ({
      deviceId: "valve1",
      metric: "Pressure",
      eventTimeUs,
      value: 0.05,
      labels: { anomaly, changepoint: 0 },
    });
    const records = [reading(1, 0), reading(2, 1), reading(3, null), reading(4, 1), reading(5, 0)];

    expect(labelWindowsFromRecords(records, "anomaly")).toEqual([{ startUs: 2, endUs: 4 }]);
  });

  it("orders labels by event time first", () => {
    const records = [label(4, 1), label(2, 1), label(3, 0), label(5, 1)];

    expect(labelWindowsFromRecords(records, "anomaly")).toEqual([
      { startUs: 2, endUs: 2 },
      { startUs: 4, endUs: 5 },
    ]);
  });

  it("rejects labels from two devices", () => {
    const records = [label(1, 1, "valve1"), label(2, 1, "valve2")];

    expect(() => labelWindowsFromRecords(records, "anomaly")).toThrow(
      'label records of "anomaly" come from devices "valve1" and "valve2"',
    );
  });
});

describe("normalizeLabelWindows", () => {
  it("sorts windows by start", () => {
    const windows = [
      { startUs: 30, endUs: 40 },
      { startUs: 10, endUs: 20 },
    ];

    expect(normalizeLabelWindows(windows).map((w) => w.startUs)).toEqual([10, 30]);
  });

  it("rejects a fractional bound", () => {
    expect(() => normalizeLabelWindows([{ startUs: 0.5, endUs: 2 }])).toThrow(
      "invalid label window 0: start 0.5 and end 2: expected integer µs with start <= end",
    );
  });
});
