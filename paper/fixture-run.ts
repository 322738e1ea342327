/**
 * A small hand-made results directory (two policies, three control intervals) for tests of the
 * table and figure outputs. Its numbers are illustrative, not simulation results.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

import { writeCsv } from "./csv.js";
import {
  latencyCdfColumns,
  runFileNames,
  summaryColumns,
  timeseriesColumns,
  type LatencyCdfRow,
  type RunConfig,
  type SummaryRow,
  type TimeseriesRow,
} from "./run-files.js";

/** config.json of the fixture run. */
export const fixtureConfig: RunConfig = {
  scenario: "smartcity",
  seed: 7,
  sla: { latencyTargetMs: 2000, percentile: 95 },
};

/** summary.csv rows of the fixture run; static-peak has no detection metrics. */
export const fixtureSummary: SummaryRow[] = [
  {
    policy: "static-peak",
    provider: "aws",
    cost_usd: 4.2,
    cost_vs_static_peak: 1,
    latency_p50_ms: 310.5,
    latency_p95_ms: 820,
    latency_p99_ms: 1400,
    sla_violation_share: 0.01,
    executor_hours: 12,
    cold_starts: 10,
    records_processed: 360000,
    records_unfinished: 0,
    late_records: 12,
    future_outliers: 0,
    anomalies: 40,
    detection_precision: null,
    detection_recall: null,
  },
  {
    policy: "dqn",
    provider: "aws",
    cost_usd: 2.1,
    cost_vs_static_peak: 0.5,
    latency_p50_ms: 400,
    latency_p95_ms: 1750,
    latency_p99_ms: 2600,
    sla_violation_share: 0.04,
    executor_hours: 6.1,
    cold_starts: 35,
    records_processed: 360000,
    records_unfinished: 0,
    late_records: 12,
    future_outliers: 1,
    anomalies: 40,
    detection_precision: 0.91,
    detection_recall: 0,
  },
];

function timeseriesRow(policy: string, startS: number, executors: number): TimeseriesRow {
  return {
    policy,
    interval_start_s: startS,
    arrivals: 1000 + startS * 10,
    arrivals_per_sec: 100 + startS,
    backlog: 0,
    executors_running: executors,
    executors_pending: 0,
    cost_usd: executors * 0.0008,
    latency_p50_ms: 300,
    latency_p95_ms: startS === 0 ? null : 800,
    latency_p99_ms: startS === 0 ? null : 1200,
  };
}

/** timeseries.csv rows of the fixture run. */
export const fixtureTimeseries: TimeseriesRow[] = [
  timeseriesRow("static-peak", 0, 10),
  timeseriesRow("static-peak", 10, 10),
  timeseriesRow("static-peak", 20, 10),
  timeseriesRow("dqn", 0, 2),
  timeseriesRow("dqn", 10, 4),
  timeseriesRow("dqn", 20, 3),
];

/** latency-cdf.csv rows of the fixture run. */
export const fixtureLatencyCdf: LatencyCdfRow[] = [
  { policy: "static-peak", latency_ms: 100, cumulative_share: 0.2 },
  { policy: "static-peak", latency_ms: 820, cumulative_share: 0.95 },
  { policy: "static-peak", latency_ms: 1400, cumulative_share: 1 },
  { policy: "dqn", latency_ms: 120, cumulative_share: 0.2 },
  { policy: "dqn", latency_ms: 1750, cumulative_share: 0.95 },
  { policy: "dqn", latency_ms: 2600, cumulative_share: 1 },
];

/** Writes the fixture run's CSV files and config.json into the existing directory `runDir`. */
export async function writeFixtureRun(runDir: string): Promise<void> {
  await writeCsv(join(runDir, runFileNames.summary), summaryColumns, fixtureSummary);
  await writeCsv(join(runDir, runFileNames.timeseries), timeseriesColumns, fixtureTimeseries);
  await writeCsv(join(runDir, runFileNames.latencyCdf), latencyCdfColumns, fixtureLatencyCdf);
  const configText = JSON.stringify(fixtureConfig, null, 2) + "\n";
  await writeFile(join(runDir, runFileNames.config), configText, "utf8");
}
