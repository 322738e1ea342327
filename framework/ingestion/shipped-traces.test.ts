/**
 * Replays every shipped trace end to end with its descriptor. Every expected figure below was
 * counted from the files by a separate script (Python csv, datetime and zoneinfo) that applies
 * the reader's definitions.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TraceDescriptor } from "./descriptor.js";
import { readTrace } from "./reader.js";
import type { SensorRecord } from "./record.js";
import { ReplayStats, type ReplayCounterName } from "./replay-stats.js";
import {
  loadCatalogDescriptor,
  resolveTracesRoot,
  traceCatalog,
  type TraceCatalogEntry,
} from "./trace-catalog.js";

const tracesRoot = resolveTracesRoot();
const isRequired = process.env.REQUIRE_SERVICES === "1";

interface ReplaySummary {
  stats: ReplayStats;
  firstUs: number;
  lastUs: number;
  nullsByMetric: Map<string, number>;
  /** Records of the first metric, one per row of a wide file. */
  firstMetricRecords: SensorRecord[];
}

async function summarize(file: string, trace: TraceDescriptor): Promise<ReplaySummary> {
  const stats = new ReplayStats();
  const nullsByMetric = new Map<string, number>();
  const firstMetricRecords: SensorRecord[] = [];
  let firstUs = Number.NaN;
  let lastUs = Number.NaN;
  const firstMetric = trace.layout.kind === "wide" ? trace.layout.values[0].metric : undefined;

  for await (const record of readTrace(file, trace, { skipBadRows: false, stats })) {
    if (Number.isNaN(firstUs)) firstUs = record.eventTimeUs;
    lastUs = record.eventTimeUs;
    const nulls = nullsByMetric.get(record.metric) ?? 0;
    nullsByMetric.set(record.metric, nulls + (record.value === null ? 1 : 0));
    if (record.metric === firstMetric) firstMetricRecords.push(record);
  }
  return { stats, firstUs, lastUs, nullsByMetric, firstMetricRecords };
}

const summaries = new Map<string, Promise<ReplaySummary>>();

/** Replays a catalog file once per test run and shares the summary between tests. */
function replayOnce(file: string): Promise<ReplaySummary> {
  let summary = summaries.get(file);
  if (summary === undefined) {
    const entry = traceCatalog.find((candidate) => candidate.file === file) as TraceCatalogEntry;
    summary = loadCatalogDescriptor(entry).then((trace) =>
      summarize(join(tracesRoot!, file), trace),
    );
    summaries.set(file, summary);
  }
  return summary;
}

const iso = (epochUs: number): string => new Date(epochUs / 1000).toISOString();

/** Counters expected per file; counters not listed are not checked. */
const expectedCounters: Record<string, Partial<Record<ReplayCounterName, number>>> = {
  // 9,357 rows and 114 comma-only rows, hourly with no gaps or duplicates.
  "smart_city/AirQualityUCI.csv": {
    rowsRead: 9357,
    rowsIgnored: 114,
    duplicateTimestamps: 0,
    outOfOrderRecords: 0,
    gaps: 0,
  },
  // 5-min grids with many skipped samples, without duplicates.
  "smart_city/nab_realTraffic_speed_7578.csv": {
    rowsRead: 1127,
    gaps: 210,
    duplicateTimestamps: 0,
  },
  "smart_city/nab_realTraffic_occupancy_6005.csv": {
    rowsRead: 2380,
    gaps: 228,
    duplicateTimestamps: 0,
  },
  // 132539 has the Urine reading twice at 27:37 and Weight -1. Each file has four excluded
  // descriptor rows (RecordID, Age, Gender, Height).
  "healthcare/physionet2012_set-a/132539.txt": {
    rowsRead: 272,
    rowsExcluded: 4,
    duplicateTimestamps: 1,
    missingValues: 1,
  },
  "healthcare/physionet2012_set-a/132540.txt": { rowsRead: 527, rowsExcluded: 4, missingValues: 0 },
  "healthcare/physionet2012_set-a/132551.txt": { rowsRead: 672, rowsExcluded: 4, missingValues: 0 },
  "healthcare/physionet2012_set-a/132588.txt": { rowsRead: 247, rowsExcluded: 4, missingValues: 0 },
  // The usual-step rule finds 201 gaps between beats.
  "healthcare/empatica_e4_flirt/HR.csv": { rowsRead: 4998, gaps: 0 },
  "healthcare/empatica_e4_flirt/TEMP.csv": { rowsRead: 4998, gaps: 0 },
  "healthcare/empatica_e4_flirt/EDA.csv": { rowsRead: 9998, gaps: 0 },
  "healthcare/empatica_e4_flirt/IBI.csv": { rowsRead: 4999, gaps: 201 },
  // 871 NaN in the last column. Each of the 5 value columns has 2 backward read-out steps and 4
  // gaps. The 12 ambiguous rows are 02:00-02:45 once and 03:00-03:45 twice. No duplicates remain
  // once the late fall-back is modelled.
  "agriculture/greenhouse_italy_gh1/Micro_1.csv": {
    rowsRead: 12779,
    missingValues: 871,
    duplicateTimestamps: 0,
    outOfOrderRecords: 2 * 5,
    gaps: 4 * 5,
    dstAmbiguousRows: 12,
  },
  // Each of the 2 value columns has 3 backward read-out steps and 5 gaps.
  "agriculture/greenhouse_italy_gh1/TRH_1.csv": {
    rowsRead: 10858,
    outOfOrderRecords: 3 * 2,
    gaps: 5 * 2,
    duplicateTimestamps: 0,
  },
  // 2,760 rows, 42 + 10 short rows, no gaps or duplicates. The 5 ignored lines are the
  // blank line after the header, 3 blank lines at the end and the flag row. The 149 missing values
  // are the MV markers plus the fields absent from short rows.
  "agriculture/ncstate_sandhills_weather_QV2YC4V9_1.csv": {
    rowsRead: 2760,
    rowsIgnored: 5,
    shortRows: 52,
    missingValues: 149,
    duplicateTimestamps: 0,
    gaps: 0,
  },
  // The hour 2014-01-07 02:00-02:55 occurs twice: 12 duplicates and one backward step.
  "industry/nab_machine_temperature_system_failure.csv": {
    rowsRead: 22695,
    duplicateTimestamps: 12,
    outOfOrderRecords: 1,
    gaps: 0,
  },
  // Two-second steps at 1 Hz are not gaps.
  "industry/skab_valve1_0.csv": { rowsRead: 1147, gaps: 0, duplicateTimestamps: 0 },
  "industry/skab_anomaly-free.csv": { rowsRead: 9405, gaps: 0, duplicateTimestamps: 0 },
};

/** First and last event time in file order; local spans converted with the descriptor's zone. */
const expectedSpans: Record<string, [string, string]> = {
  "smart_city/AirQualityUCI.csv": ["2004-03-10T17:00:00.000Z", "2005-04-04T13:00:00.000Z"],
  "healthcare/empatica_e4_flirt/HR.csv": ["2019-06-11T19:03:55.000Z", "2019-06-11T20:27:12.000Z"],
  "healthcare/empatica_e4_flirt/TEMP.csv": ["2019-06-11T19:03:45.000Z", "2019-06-11T19:24:34.250Z"],
  "healthcare/empatica_e4_flirt/IBI.csv": ["2019-06-11T19:05:08.503Z", "2019-06-11T21:32:39.049Z"],
  "agriculture/greenhouse_italy_gh1/Micro_1.csv": [
    "2021-08-18T09:45:00.000Z",
    "2022-02-03T09:45:00.000Z",
  ],
  "agriculture/ncstate_sandhills_weather_QV2YC4V9_1.csv": [
    "2020-05-17T04:00:00.000Z",
    "2020-09-09T03:00:00.000Z",
  ],
  "industry/nab_machine_temperature_system_failure.csv": [
    "2013-12-02T21:15:00.000Z",
    "2014-02-19T15:25:00.000Z",
  ],
};

const suiteName =
  tracesRoot === undefined
    ? "shipped traces (skipped: traces folder not found; set TRACES_DIR or put shared/traces beside the repository)"
    : "shipped traces";

if (tracesRoot === undefined && isRequired) {
  describe("shipped traces", () => {
    it("finds the traces folder", () => {
      throw new Error("traces folder not found and REQUIRE_SERVICES=1: set TRACES_DIR");
    });
  });
}

describe.skipIf(tracesRoot === undefined)(suiteName, () => {
  describe.each(traceCatalog.map((entry) => [entry.file]))("%s", (file) => {
    it("replays without skipped rows", async () => {
      expect((await replayOnce(file)).stats.badRowsSkipped).toBe(0);
    });

    it.each(Object.entries(expectedCounters[file] ?? {}))("counts %s", async (counter, value) => {
      const { stats } = await replayOnce(file);
      expect(stats[counter as ReplayCounterName]).toBe(value);
    });
  });

  it.each(Object.entries(expectedSpans))("spans the expected times in %s", async (file, span) => {
    const { firstUs, lastUs } = await replayOnce(file);
    expect([iso(firstUs), iso(lastUs)]).toEqual(span);
  });

  describe("AirQualityUCI.csv", () => {
    // Counts of -200 (or -200.0) per column.
    const missingPerColumn: Record<string, number> = {
      "CO(GT)": 1683,
      "NMHC(GT)": 8443,
      "NOx(GT)": 1639,
      "NO2(GT)": 1642,
      "C6H6(GT)": 366,
      "PT08.S1(CO)": 366,
      "PT08.S2(NMHC)": 366,
      "PT08.S3(NOx)": 366,
      "PT08.S4(NO2)": 366,
      "PT08.S5(O3)": 366,
      T: 366,
      RH: 366,
      AH: 366,
    };

    it.each(Object.entries(missingPerColumn))("counts -200 in %s", async (metric, count) => {
      const { nullsByMetric } = await replayOnce("smart_city/AirQualityUCI.csv");
      expect(nullsByMetric.get(metric)).toBe(count);
    });
  });

  describe("Micro_1.csv", () => {
    const file = "agriculture/greenhouse_italy_gh1/Micro_1.csv";

    it("reads NaN in the second water-content column", async () => {
      const { nullsByMetric } = await replayOnce(file);
      expect(nullsByMetric.get("water_content_2")).toBe(871);
    });

    it("maps the repeated 03:00 rows to distinct instants", async () => {
      const { firstMetricRecords } = await replayOnce(file);
      // Lines 4849-4856 contain 03:00-03:45 twice. Records of one metric follow the rows in file
      // order, starting at line 2.
      const repeated = firstMetricRecords
        .slice(4849 - 2, 4857 - 2)
        .map((record) => iso(record.eventTimeUs));
      expect(repeated.map((time) => time.slice(11, 16))).toEqual([
        "01:00",
        "01:15",
        "01:30",
        "01:45",
        "02:00",
        "02:15",
        "02:30",
        "02:45",
      ]);
    });

    it("has 4 duplicates without late fall-back", async () => {
      const entry = traceCatalog.find((candidate) => candidate.file === file)!;
      const trace = await loadCatalogDescriptor(entry);
      const strict: TraceDescriptor = {
        ...trace,
        time: { ...trace.time, lateFallBackUs: 0 } as TraceDescriptor["time"],
        layout: {
          kind: "wide",
          values: [{ metric: "par", column: "PAR (µmol/m²/s)", unit: null }],
        },
      };
      const { stats } = await summarize(join(tracesRoot!, file), strict);
      expect(stats.duplicateTimestamps).toBe(4);
    });
  });

  describe("NC State weather", () => {
    it("has a missing value in each of the 55 MV rows", async () => {
      const entry = traceCatalog.find((candidate) => candidate.file.includes("ncstate"))!;
      const trace = await loadCatalogDescriptor(entry);
      const stats = new ReplayStats();
      const rowsWithMissing = new Set<number>();
      const file = join(tracesRoot!, entry.file);
      for await (const record of readTrace(file, trace, { skipBadRows: false, stats })) {
        if (record.value === null) rowsWithMissing.add(record.eventTimeUs);
      }
      expect(rowsWithMissing.size).toBe(55);
    });
  });

  describe("skab_valve1_0.csv", () => {
    it("labels 401 rows as anomalous", async () => {
      const { firstMetricRecords } = await replayOnce("industry/skab_valve1_0.csv");
      expect(firstMetricRecords.filter((record) => record.labels?.anomaly === 1)).toHaveLength(401);
    });

    it("labels 4 changepoints", async () => {
      const { firstMetricRecords } = await replayOnce("industry/skab_valve1_0.csv");
      expect(firstMetricRecords.filter((record) => record.labels?.changepoint === 1)).toHaveLength(
        4,
      );
    });
  });

  describe("IBI.csv", () => {
    it("has 202 beat steps over 2 s", async () => {
      const entry = traceCatalog.find((candidate) => candidate.file.endsWith("IBI.csv"))!;
      const trace = await loadCatalogDescriptor(entry);
      const times: number[] = [];
      const stats = new ReplayStats();
      for await (const record of readTrace(join(tracesRoot!, entry.file), trace, {
        skipBadRows: false,
        stats,
      })) {
        times.push(record.eventTimeUs);
      }
      const longSteps = times.slice(1).filter((time, i) => time - times[i] > 2_000_000);
      expect(longSteps).toHaveLength(202);
    });
  });
});
