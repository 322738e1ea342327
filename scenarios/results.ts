/**
 * Turns a scenario run into the files of results/<run-id>/: config.json, summary.csv,
 * timeseries.csv and latency-cdf.csv, from which the paper module draws tables and figures.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { quantileSorted } from "simple-statistics";
import { writeCsv, type CellValue } from "../paper/csv.js";
import {
  latencyCdfColumns,
  runFileNames,
  summaryColumns,
  timeseriesColumns,
  type LatencyCdfRow,
  type SummaryRow,
  type TimeseriesRow,
} from "../paper/run-files.js";
import { percentilesOfSorted } from "../sim/metrics.js";
import type { PolicyOutcome, ScenarioRun } from "./run-scenario.js";
import { repoRoot } from "./trace-paths.js";

/** Points per policy in latency-cdf.csv. */
const CDF_POINTS = 200;

/** Packages whose versions config.json records. */
const RECORDED_PACKAGES = [
  "vega",
  "vega-lite",
  "@resvg/resvg-js",
  "simple-statistics",
  "pure-rand",
  "luxon",
  "csv-parse",
];

/** Returns the deterministic run id: scenario, source, provider, seed and a config digest. */
export function runId(run: ScenarioRun, policies: readonly string[]): string {
  const digest = createHash("sha256")
    .update(JSON.stringify({ config: run.config, policies, source: run.source.describe() }))
    .digest("hex")
    .slice(0, 8);
  const kind = run.source.describe().kind;
  return `${run.config.name}-${kind}-${run.config.provider}-seed${run.config.seed}-${digest}`;
}

/** Writes config.json and the three CSV files of a run into `runDir`. */
export async function writeRunFiles(
  run: ScenarioRun,
  runDir: string,
  policies: readonly string[],
): Promise<void> {
  await mkdir(runDir, { recursive: true });
  await writeFile(
    join(runDir, runFileNames.config),
    `${JSON.stringify(await runConfig(run, policies), null, 2)}\n`,
  );
  await writeCsv(join(runDir, runFileNames.summary), summaryColumns, summaryRows(run));
  await writeCsv(join(runDir, runFileNames.timeseries), timeseriesColumns, timeseriesRows(run));
  await writeCsv(join(runDir, runFileNames.latencyCdf), latencyCdfColumns, latencyCdfRows(run));
}

/** Returns one summary.csv row per policy; costs relative to static-peak when it ran. */
export function summaryRows(run: ScenarioRun): SummaryRow[] {
  const staticPeak = run.outcomes.find((outcome) => outcome.policy === "static-peak");
  const targetUs = run.config.sla.latencyTargetMs * 1_000;
  return run.outcomes.map((outcome) => {
    const percentiles = percentilesOfSorted(outcome.latenciesUs);
    const total = outcome.recordsProcessed + outcome.recordsUnfinished;
    return {
      policy: outcome.policy,
      provider: run.config.provider,
      cost_usd: outcome.costUsd,
      cost_vs_static_peak:
        staticPeak !== undefined && staticPeak.costUsd > 0
          ? outcome.costUsd / staticPeak.costUsd
          : null,
      latency_p50_ms: toMs(percentiles.p50),
      latency_p95_ms: toMs(percentiles.p95),
      latency_p99_ms: toMs(percentiles.p99),
      sla_violation_share:
        total > 0
          ? (countAbove(outcome.latenciesUs, targetUs) + outcome.recordsUnfinished) / total
          : null,
      executor_hours: outcome.executorHours,
      cold_starts: outcome.coldStarts,
      records_processed: outcome.recordsProcessed,
      records_unfinished: outcome.recordsUnfinished,
      late_records: outcome.pipeline.lateDeviceWindow,
      future_outliers: outcome.pipeline.futureOutliers,
      anomalies: outcome.pipeline.anomalies,
      detection_precision: outcome.detection?.precision ?? null,
      detection_recall: outcome.detection?.recall ?? null,
    };
  });
}

/** Returns timeseries.csv rows: every policy's intervals, policies in run order. */
export function timeseriesRows(run: ScenarioRun): TimeseriesRow[] {
  return run.outcomes.flatMap((outcome: PolicyOutcome) =>
    outcome.intervals.map((interval, i) => {
      const nextStartUs = outcome.intervals[i + 1]?.startUs ?? outcome.endUs;
      const seconds = Math.max(1e-6, (nextStartUs - interval.startUs) / 1e6);
      return {
        policy: outcome.policy,
        interval_start_s: interval.startUs / 1e6,
        arrivals: interval.arrivals,
        arrivals_per_sec: interval.arrivals / seconds,
        backlog: interval.backlog,
        executors_running: interval.executorsRunning,
        executors_pending: interval.executorsPending,
        cost_usd: interval.costUsd,
        latency_p50_ms: toMs(interval.latencyP50Us),
        latency_p95_ms: toMs(interval.latencyP95Us),
        latency_p99_ms: toMs(interval.latencyP99Us),
      };
    }),
  );
}

/** Returns latency-cdf.csv rows: per policy, the latency at evenly spaced cumulative shares. */
export function latencyCdfRows(run: ScenarioRun): LatencyCdfRow[] {
  const rows: LatencyCdfRow[] = [];
  for (const outcome of run.outcomes) {
    const sorted = outcome.latenciesUs as unknown as number[];
    if (sorted.length === 0) continue;
    for (let i = 0; i <= CDF_POINTS; i++) {
      const share = i / CDF_POINTS;
      rows.push({
        policy: outcome.policy,
        latency_ms: quantileSorted(sorted, share) / 1_000,
        cumulative_share: share,
      });
    }
  }
  return rows;
}

function countAbove(sortedUs: Float64Array, thresholdUs: number): number {
  let low = 0;
  let high = sortedUs.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sortedUs[mid] <= thresholdUs) low = mid + 1;
    else high = mid;
  }
  return sortedUs.length - low;
}

function toMs(valueUs: number | null): CellValue {
  return valueUs === null ? null : valueUs / 1_000;
}

async function runConfig(
  run: ScenarioRun,
  policies: readonly string[],
): Promise<Record<string, unknown>> {
  return {
    scenario: run.config.name,
    mode: "simulation",
    seed: run.config.seed,
    sla: run.config.sla,
    provider: run.provider,
    policies,
    source: run.source.describe(),
    workload: {
      records: run.workload.records.length,
      epochUs: run.workload.epochUs,
      durationUs: run.workload.durationUs,
    },
    replay:
      run.source.replayStats === null ? null : Object.fromEntries(run.source.replayStats.entries()),
    delivery: run.delivery,
    config: run.config,
    gitCommit: gitCommit(),
    node: process.version,
    packageVersions: await packageVersions(),
  };
}

function gitCommit(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], {
      cwd: repoRoot,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return null;
  }
}

async function packageVersions(): Promise<Record<string, string | null>> {
  const versions: Record<string, string | null> = {};
  for (const name of RECORDED_PACKAGES) {
    try {
      const manifest = JSON.parse(
        await readFile(join(repoRoot, "node_modules", name, "package.json"), "utf8"),
      );
      versions[name] = manifest.version as string;
    } catch {
      versions[name] = null;
    }
  }
  return versions;
}
