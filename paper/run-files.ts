/**
 * Names and columns of the files in a run's results directory. The simulator writes these
 * files and `npm run paper` reads them, both through the constants here.
 */
import { UserInputError } from "../framework/runtime/user-input-error.js";
import type { CellValue } from "./csv.js";
import { readTextFile } from "./text-file.js";

/** File names inside `results/<run-id>/`. */
export const runFileNames = {
  summary: "summary.csv",
  timeseries: "timeseries.csv",
  latencyCdf: "latency-cdf.csv",
  config: "config.json",
  markdownTable: "table.md",
  latexTable: "table.tex",
} as const;

/** Columns of summary.csv, one row per policy. */
export const summaryColumns = [
  "policy",
  "provider",
  "cost_usd",
  "cost_vs_static_peak",
  "latency_p50_ms",
  "latency_p95_ms",
  "latency_p99_ms",
  "sla_violation_share",
  "executor_hours",
  "cold_starts",
  "records_processed",
  "records_unfinished",
  "late_records",
  "future_outliers",
  "anomalies",
  "detection_precision",
  "detection_recall",
] as const;

/** Columns of timeseries.csv, one row per policy per control interval. */
export const timeseriesColumns = [
  "policy",
  "interval_start_s",
  "arrivals",
  "arrivals_per_sec",
  "backlog",
  "executors_running",
  "executors_pending",
  "cost_usd",
  "latency_p50_ms",
  "latency_p95_ms",
  "latency_p99_ms",
] as const;

/** Columns of latency-cdf.csv, a downsampled latency CDF per policy. */
export const latencyCdfColumns = ["policy", "latency_ms", "cumulative_share"] as const;

/** A summary.csv row. */
export type SummaryRow = Record<(typeof summaryColumns)[number], CellValue>;
/** A timeseries.csv row. */
export type TimeseriesRow = Record<(typeof timeseriesColumns)[number], CellValue>;
/** A latency-cdf.csv row. */
export type LatencyCdfRow = Record<(typeof latencyCdfColumns)[number], CellValue>;

/** The latency target a run is judged against. */
export interface SlaConfig {
  /** Latency target in milliseconds. */
  readonly latencyTargetMs: number;
  /** Percentile of end-to-end latency that must stay under the target, such as 95. */
  readonly percentile: number;
}

/** Fields of a run's config.json that the tables and figures use. Other fields are kept. */
export interface RunConfig {
  readonly scenario: string;
  readonly seed: number;
  readonly sla: SlaConfig;
  readonly [field: string]: unknown;
}

/**
 * Reads and checks the run configuration at `path`. Throws UserInputError if the file is
 * missing, is not JSON, or has a missing or invalid `scenario`, `seed` or `sla`.
 */
export async function readRunConfig(path: string): Promise<RunConfig> {
  const text = await readTextFile(path);
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new UserInputError(`invalid JSON in "${path}": ${(error as Error).message}`);
  }
  return checkRunConfig(config, path);
}

function checkRunConfig(config: unknown, path: string): RunConfig {
  const fail = (field: string, expected: string): never => {
    throw new UserInputError(`invalid config "${path}": ${field} must be ${expected}`);
  };

  if (typeof config !== "object" || config === null) {
    return fail("the top level", "an object");
  }
  const { scenario, seed, sla } = config as Record<string, unknown>;
  if (typeof scenario !== "string") {
    fail("scenario", "a string");
  }
  if (!Number.isInteger(seed)) {
    fail("seed", "an integer");
  }
  if (typeof sla !== "object" || sla === null) {
    return fail("sla", "an object");
  }

  const { latencyTargetMs, percentile } = sla as Record<string, unknown>;
  if (typeof latencyTargetMs !== "number" || !(latencyTargetMs > 0)) {
    fail("sla.latencyTargetMs", "a positive number");
  }
  if (typeof percentile !== "number" || !(percentile > 0 && percentile <= 100)) {
    fail("sla.percentile", "a number in (0, 100]");
  }
  return config as RunConfig;
}
