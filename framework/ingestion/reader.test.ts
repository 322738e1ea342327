import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseDescriptor, type TraceDescriptor } from "./descriptor.js";
import { readTrace } from "./reader.js";
import type { SensorRecord } from "./record.js";
import { ReplayStats } from "./replay-stats.js";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));

function fixture(name: string): string {
  return join(fixtures, name);
}

function descriptor(json: object): TraceDescriptor {
  return parseDescriptor(json, "test-descriptor.json");
}

async function replay(
  file: string,
  trace: TraceDescriptor,
  skipBadRows = false,
): Promise<{ records: SensorRecord[]; stats: ReplayStats }> {
  const stats = new ReplayStats();
  const records: SensorRecord[] = [];
  for await (const record of readTrace(file, trace, { skipBadRows, stats })) records.push(record);
  return { records, stats };
}

async function replayError(file: string, trace: TraceDescriptor): Promise<string> {
  try {
    await replay(file, trace);
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
  return "no error";
}

const iso = (epochUs: number): string => new Date(epochUs / 1000).toISOString();

function valuesOf(records: SensorRecord[], metric: string): Array<number | null> {
  return records.filter((record) => record.metric === metric).map((record) => record.value);
}

const oneValue = (timeSpec: object, extra: object = {}) =>
  descriptor({
    time: timeSpec,
    device: { kind: "fixed", id: "sensor" },
    values: { value: { column: "value", unit: null } },
    ...extra,
  });

describe("readTrace", () => {
  describe("original UCI air-quality layout", () => {
    const trace = descriptor({
      format: { delimiter: ";", decimalSeparator: ",", skipEmptyRows: true },
      time: {
        kind: "dateAndTime",
        dateColumn: "Date",
        dateFormat: "dd/MM/yyyy",
        timeColumn: "Time",
        timeFormat: "HH.mm.ss",
        timeZone: "UTC+1",
      },
      device: { kind: "fixed", id: "uci" },
      values: {
        "CO(GT)": { column: "CO(GT)", unit: "mg/m³" },
        "C6H6(GT)": { column: "C6H6(GT)", unit: "µg/m³" },
        AH: { column: "AH", unit: null },
      },
      missing: ["-200"],
    });
    const file = fixture("air-quality-original-layout.csv");

    it("reads decimal commas", async () => {
      const { records } = await replay(file, trace);
      expect(valuesOf(records, "CO(GT)")).toEqual([3.1, null, 2.7, 2.4]);
    });

    it("combines date and dotted time columns", async () => {
      const { records } = await replay(file, trace);
      expect(iso(records[0].eventTimeUs)).toBe("2004-04-01T08:00:00.000Z");
    });

    it("treats -200 and -200,0 as missing", async () => {
      const { records } = await replay(file, trace);
      expect(valuesOf(records, "C6H6(GT)")).toEqual([12.4, 11.8, null, 10.1]);
    });

    it("counts missing values", async () => {
      const { stats } = await replay(file, trace);
      expect(stats.missingValues).toBe(3);
    });

    it("ignores delimiter-only rows", async () => {
      const { stats } = await replay(file, trace);
      expect(stats.toJSON()).toMatchObject({ rowsRead: 4, rowsIgnored: 2, badRowsSkipped: 0 });
    });

    it("rejects delimiter-only rows unless declared", async () => {
      const strict = { ...trace, format: { ...trace.format, skipEmptyRows: false } };
      expect(await replayError(file, strict)).toBe(
        `UserInputError: invalid row in trace "${file}" line 6, column 1 "Date": time field is empty or absent`,
      );
    });
  });

  describe("time errors", () => {
    it("names both date and time columns", async () => {
      const file = fixture("air-quality-original-layout.csv");
      const trace = descriptor({
        format: { delimiter: ";", decimalSeparator: "," },
        time: {
          kind: "dateAndTime",
          dateColumn: "Date",
          dateFormat: "dd/MM/yyyy",
          timeColumn: "Time",
          timeFormat: "HH:mm:ss",
          timeZone: "UTC+1",
        },
        device: { kind: "fixed", id: "uci" },
        values: { "CO(GT)": { column: "CO(GT)", unit: "mg/m³" } },
      });
      expect(await replayError(file, trace)).toBe(
        `UserInputError: invalid row in trace "${file}" line 2, column 1 "Date" and column 2 "Time": value "01/04/2004 09.00.00" does not match time format "dd/MM/yyyy HH:mm:ss"`,
      );
    });

    it("rejects ISO without offset when no zone is set", async () => {
      const file = fixture("malformed-row.csv");
      const trace = oneValue({ kind: "column", column: "timestamp", format: "iso" });
      expect(await replayError(file, trace)).toBe(
        `UserInputError: invalid row in trace "${file}" line 2, column 1 "timestamp": value "2020-01-01 00:00:00" has no UTC offset and the descriptor sets no time.timeZone`,
      );
    });
  });

  describe("BOM in the header", () => {
    it("finds the first column", async () => {
      const trace = oneValue({
        kind: "column",
        column: "timestamp",
        format: "yyyy-MM-dd HH:mm:ss",
        timeZone: "UTC",
      });
      const { records } = await replay(fixture("bom-header.csv"), {
        ...trace,
        layout: { kind: "wide", values: [{ metric: "t", column: "temperature", unit: "°C" }] },
      });
      expect(records.map((record) => iso(record.eventTimeUs))).toEqual([
        "2021-06-01T12:00:00.000Z",
        "2021-06-01T12:15:00.000Z",
      ]);
    });
  });

  describe("autumn daylight-saving change", () => {
    const localTrace = (lateFallBackMinutes: number) =>
      descriptor({
        time: {
          kind: "column",
          column: "timestamp",
          format: "dd/MM/yyyy HH:mm:ss",
          timeZone: "Europe/Rome",
          lateFallBackMinutes,
        },
        device: { kind: "fixed", id: "logger" },
        values: { temperature: { column: "temperature", unit: "°C" } },
      });

    it("maps the repeated hour to distinct instants in file order", async () => {
      const { records } = await replay(fixture("dst-autumn-rome.csv"), localTrace(0));
      expect(records.map((record) => iso(record.eventTimeUs).slice(11, 16))).toEqual([
        "23:30",
        "23:45",
        "00:00",
        "00:15",
        "00:30",
        "00:45",
        "01:00",
        "01:15",
        "01:30",
        "01:45",
        "02:00",
      ]);
    });

    it("counts both passes as ambiguous", async () => {
      const { stats } = await replay(fixture("dst-autumn-rome.csv"), localTrace(0));
      expect(stats.dstAmbiguousRows).toBe(8);
    });

    it("finds no duplicates in the repeated hour", async () => {
      const { stats } = await replay(fixture("dst-autumn-rome.csv"), localTrace(0));
      expect(stats.duplicateTimestamps).toBe(0);
    });

    it("finds no backward step in the repeated hour", async () => {
      const { stats } = await replay(fixture("dst-autumn-rome.csv"), localTrace(0));
      expect(stats.outOfOrderRecords).toBe(0);
    });

    it("keeps a late logger's first pass on summer time", async () => {
      const { records } = await replay(fixture("dst-autumn-late-logger.csv"), localTrace(60));
      const steps = records
        .slice(1)
        .map((record, i) => record.eventTimeUs - records[i].eventTimeUs);
      expect(new Set(steps)).toEqual(new Set([15 * 60_000_000]));
    });

    it("reads a late logger's repeat as duplicates without the allowance", async () => {
      const { stats } = await replay(fixture("dst-autumn-late-logger.csv"), localTrace(0));
      expect(stats.duplicateTimestamps).toBe(4);
    });
  });

  describe("spring daylight-saving change", () => {
    const trace = descriptor({
      time: {
        kind: "column",
        column: "timestamp",
        format: "dd/MM/yyyy HH:mm:ss",
        timeZone: "Europe/Rome",
      },
      device: { kind: "fixed", id: "logger" },
      values: { temperature: { column: "temperature", unit: "°C" } },
    });

    it("shifts a nonexistent time forward by the gap", async () => {
      const { records } = await replay(fixture("dst-spring-rome.csv"), trace);
      expect(iso(records[1].eventTimeUs)).toBe("2021-03-28T01:30:00.000Z");
    });

    it("counts the nonexistent time", async () => {
      const { stats } = await replay(fixture("dst-spring-rome.csv"), trace);
      expect(stats.dstNonexistentRows).toBe(1);
    });
  });

  describe("duplicate timestamps", () => {
    const trace = descriptor({
      time: { kind: "column", column: "timestamp", format: "iso" },
      device: { kind: "column", column: "device" },
      values: { value: { column: "value", unit: "bar" } },
    });

    it("keeps both readings", async () => {
      const { records } = await replay(fixture("duplicate-readings.csv"), trace);
      const pump1AtStart = records.filter(
        (record) => record.deviceId === "pump-1" && record.eventTimeUs === 1_577_836_800_000_000,
      );
      expect(pump1AtStart.map((record) => record.value)).toEqual([1.5, 1.6]);
    });

    it("counts one duplicate per device and time", async () => {
      const { stats } = await replay(fixture("duplicate-readings.csv"), trace);
      expect(stats.duplicateTimestamps).toBe(1);
    });
  });

  describe("malformed row", () => {
    const file = fixture("malformed-row.csv");
    const trace = oneValue({
      kind: "column",
      column: "timestamp",
      format: "yyyy-MM-dd HH:mm:ss",
      timeZone: "UTC",
    });

    it("stops with file, line, column and value", async () => {
      expect(await replayError(file, trace)).toBe(
        `UserInputError: invalid row in trace "${file}" line 4, column 2 "value": value "n/a" is not a number or a missing-value marker`,
      );
    });

    it("is skipped with skipBadRows", async () => {
      const { records } = await replay(file, trace, true);
      expect(records.map((record) => record.value)).toEqual([1, 2, 4]);
    });

    it("is counted with skipBadRows", async () => {
      const { stats } = await replay(file, trace, true);
      expect(stats.badRowsSkipped).toBe(1);
    });

    it("names an unparseable timestamp", async () => {
      const dayFirst = oneValue({
        kind: "column",
        column: "timestamp",
        format: "dd/MM/yyyy HH:mm:ss",
        timeZone: "UTC",
      });
      expect(await replayError(file, dayFirst)).toBe(
        `UserInputError: invalid row in trace "${file}" line 2, column 1 "timestamp": value "2020-01-01 00:00:00" does not match time format "dd/MM/yyyy HH:mm:ss"`,
      );
    });

    it("reports a row that is not valid CSV", async () => {
      const strayQuote = fixture("stray-quote.csv");
      expect(await replayError(strayQuote, trace)).toBe(
        `UserInputError: invalid CSV in trace "${strayQuote}": Invalid Opening Quote: a quote is found on field 1 at line 3, value is "2"`,
      );
    });

    it("skips a row that is not valid CSV", async () => {
      const { records, stats } = await replay(fixture("stray-quote.csv"), trace, true);
      expect(records.map((record) => record.value)).toEqual([1, 3]);
      expect(stats.badRowsSkipped).toBe(1);
    });

    it("rejects a row wider than the header", async () => {
      const directory = await mkdtemp(join(tmpdir(), "trace-"));
      const wide = join(directory, "wide.csv");
      await writeFile(wide, "timestamp,value\n2020-01-01 00:00:00,1.0,extra\n");
      try {
        expect(await replayError(wide, trace)).toBe(
          `UserInputError: invalid row in trace "${wide}" line 2: expected 2 fields as in the header, found 3`,
        );
      } finally {
        await rm(directory, { recursive: true });
      }
    });
  });

  describe("descriptor and header mismatch", () => {
    it("names the file, the missing column and the header", async () => {
      const file = fixture("malformed-row.csv");
      const trace = oneValue({
        kind: "column",
        column: "time",
        format: "yyyy-MM-dd HH:mm:ss",
        timeZone: "UTC",
      });
      expect(await replayError(file, trace)).toBe(
        `UserInputError: trace "${file}" does not match descriptor "test-descriptor.json": column "time" not found; the header has "timestamp", "value"`,
      );
    });
  });

  describe("unreadable file", () => {
    const trace = oneValue({ kind: "column", column: "time", format: "iso" });

    it("names a missing path", async () => {
      const missing = fixture("no-such-trace.csv");
      expect(await replayError(missing, trace)).toBe(
        `UserInputError: cannot read trace "${missing}": file not found`,
      );
    });

    it("names a directory", async () => {
      expect(await replayError(fixtures, trace)).toBe(
        `UserInputError: cannot read trace "${fixtures}": is a directory`,
      );
    });

    it.skipIf(process.getuid?.() === 0)("names a file without read permission", async () => {
      const directory = await mkdtemp(join(tmpdir(), "trace-"));
      const locked = join(directory, "locked.csv");
      await writeFile(locked, "time,value\n");
      await chmod(locked, 0o000);
      try {
        expect(await replayError(locked, trace)).toBe(
          `UserInputError: cannot read trace "${locked}": permission denied`,
        );
      } finally {
        await rm(directory, { recursive: true });
      }
    });
  });

  describe("empty files", () => {
    const trace = oneValue({ kind: "column", column: "time", format: "iso" });

    it("rejects a file without a header", async () => {
      const directory = await mkdtemp(join(tmpdir(), "trace-"));
      const empty = join(directory, "empty.csv");
      await writeFile(empty, "");
      try {
        expect(await replayError(empty, trace)).toBe(
          `UserInputError: trace "${empty}" has no header row`,
        );
      } finally {
        await rm(directory, { recursive: true });
      }
    });

    it("reads a header-only file as no records", async () => {
      const directory = await mkdtemp(join(tmpdir(), "trace-"));
      const headerOnly = join(directory, "header-only.csv");
      await writeFile(headerOnly, "time,value\n");
      try {
        expect((await replay(headerOnly, trace)).records).toEqual([]);
      } finally {
        await rm(directory, { recursive: true });
      }
    });
  });

  describe("time layouts", () => {
    it("reads epoch seconds to the microsecond", async () => {
      const { records } = await replay(
        fixture("epoch-seconds.csv"),
        oneValue({ kind: "column", column: "time", format: "epochSeconds" }),
      );
      expect(records.map((record) => record.eventTimeUs)).toEqual([
        1_560_279_825_000_000, 1_560_279_825_250_000, 1_560_279_826_000_001,
      ]);
    });

    it("reads epoch milliseconds", async () => {
      const { records } = await replay(
        fixture("epoch-millis.csv"),
        oneValue({ kind: "column", column: "time", format: "epochMillis" }),
      );
      expect(records.map((record) => record.eventTimeUs)).toEqual([
        1_560_279_825_000_000, 1_560_279_825_250_000, 1_560_279_825_250_500,
      ]);
    });

    it("reads ISO 8601 with offsets", async () => {
      const { records } = await replay(
        fixture("iso-offset.csv"),
        oneValue({ kind: "column", column: "time", format: "iso" }),
      );
      expect(records.map((record) => record.eventTimeUs)).toEqual([
        1_635_640_200_000_000, 1_635_643_800_000_000, 1_635_643_800_123_456,
      ]);
    });

    it("reads the E4 start and sample rate layout", async () => {
      const trace = descriptor({
        format: { hasHeader: false, skipLines: 2 },
        time: {
          kind: "sampled",
          start: { line: 1, format: "epochSeconds" },
          rateHz: { line: 2 },
        },
        device: { kind: "fixed", id: "wristband" },
        values: { skin_temperature: { column: 1, unit: "°C" } },
      });
      const { records } = await replay(fixture("e4-sampled.csv"), trace);
      expect(records.map((record) => [record.eventTimeUs, record.value])).toEqual([
        [1_560_279_825_000_000, 32.13],
        [1_560_279_825_250_000, 32.15],
        [1_560_279_825_500_000, 32.2],
      ]);
    });

    it("reports an unreadable preamble", async () => {
      const trace = descriptor({
        format: { hasHeader: false, skipLines: 2 },
        time: { kind: "sampled", start: { line: 1, format: "epochSeconds" }, rateHz: { line: 2 } },
        device: { kind: "fixed", id: "wristband" },
        values: { skin_temperature: { column: 1, unit: "°C" } },
      });
      const file = fixture("long-format.txt");
      expect(await replayError(file, trace)).toBe(
        `UserInputError: invalid preamble in trace "${file}" line 1, field 1: start time "Time" is not in format epochSeconds`,
      );
    });
  });

  describe("long format", () => {
    const trace = descriptor({
      time: {
        kind: "elapsed",
        column: "Time",
        format: "hours:minutes",
        start: "2012-01-01T00:00:00Z",
      },
      device: { kind: "fixed", id: "stay-{fileStem}" },
      long: {
        parameterColumn: "Parameter",
        valueColumn: "Value",
        exclude: ["RecordID", "Age"],
        parameters: {
          HR: { unit: "bpm" },
          Urine: { unit: "mL" },
          Weight: { unit: "kg", missing: ["-1"] },
        },
      },
    });
    const file = fixture("long-format.txt");

    it("emits one record per row with the parameter as metric", async () => {
      const { records } = await replay(file, trace);
      expect(records.map((record) => `${record.metric}=${record.value}`)).toEqual([
        "Weight=null",
        "HR=88",
        "HR=91",
        "HR=79",
        "Urine=300",
        "Urine=0",
      ]);
    });

    it("places hours past 24 on the next day", async () => {
      const { records } = await replay(file, trace);
      expect(iso(records[3].eventTimeUs)).toBe("2012-01-02T01:40:00.000Z");
    });

    it("derives the device id from the file name", async () => {
      const { records } = await replay(file, trace);
      expect(records[0].deviceId).toBe("stay-long-format");
    });

    it("counts excluded parameters", async () => {
      const { stats } = await replay(file, trace);
      expect(stats.rowsExcluded).toBe(2);
    });

    it("counts the same parameter twice at one time as a duplicate", async () => {
      const { stats } = await replay(file, trace);
      expect(stats.duplicateTimestamps).toBe(1);
    });

    it("rejects a parameter the descriptor does not list", async () => {
      const narrow = descriptor({
        time: {
          kind: "elapsed",
          column: "Time",
          format: "hours:minutes",
          start: "2012-01-01T00:00:00Z",
        },
        device: { kind: "fixed", id: "stay" },
        long: {
          parameterColumn: "Parameter",
          valueColumn: "Value",
          parameters: { HR: { unit: "bpm" } },
        },
      });
      expect(await replayError(file, narrow)).toBe(
        `UserInputError: invalid row in trace "${file}" line 2, column 2 "Parameter": parameter "RecordID" is neither in long.parameters nor in long.exclude`,
      );
    });
  });

  describe("short rows and trailers", () => {
    const trace = (allowShortRows: boolean) =>
      descriptor({
        format: { allowShortRows, ignoreRows: ["NA,M,V,M,R"] },
        time: {
          kind: "column",
          column: "time",
          format: "yyyy-MM-dd HH:mm:ss",
          timeZone: "America/New_York",
        },
        device: { kind: "fixed", id: "station" },
        values: {
          temperature: { column: "temperature", unit: "°C" },
          rain: { column: "rain", unit: "mm" },
          solar: { column: "solar", unit: "W/m²" },
        },
        missing: ["", "MV"],
      });
    const file = fixture("short-rows.csv");

    it("reads absent fields as missing", async () => {
      const { records } = await replay(file, trace(true));
      expect(valuesOf(records, "solar")).toEqual([812, null, null, 790]);
    });

    it("counts short rows", async () => {
      const { stats } = await replay(file, trace(true));
      expect(stats.shortRows).toBe(2);
    });

    it("counts blank lines and the trailer as ignored", async () => {
      const { stats } = await replay(file, trace(true));
      expect(stats.rowsIgnored).toBe(4);
    });

    it("rejects short rows unless allowed", async () => {
      expect(await replayError(file, trace(false))).toBe(
        `UserInputError: invalid row in trace "${file}" line 4: expected 4 fields, found 2`,
      );
    });
  });

  describe("label columns", () => {
    const trace = descriptor({
      format: { delimiter: ";" },
      time: { kind: "column", column: "datetime", format: "yyyy-MM-dd HH:mm:ss", timeZone: "UTC" },
      device: { kind: "fixed", id: "pump" },
      values: { pressure: { column: "pressure", unit: "bar" } },
      labels: { anomaly: { column: "anomaly" }, changepoint: { column: "changepoint" } },
    });

    it("attaches labels to the records", async () => {
      const { records } = await replay(fixture("labelled.csv"), trace);
      expect(records.map((record) => record.labels)).toEqual([
        { anomaly: 0, changepoint: 0 },
        { anomaly: 1, changepoint: 1 },
        { anomaly: 1, changepoint: 0 },
      ]);
    });

    it("keeps labels out of the metrics", async () => {
      const { records } = await replay(fixture("labelled.csv"), trace);
      expect(new Set(records.map((record) => record.metric))).toEqual(new Set(["pressure"]));
    });
  });
});
