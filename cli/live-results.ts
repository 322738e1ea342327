/**
 * Writes a live run's results/<run-id>/ in the layout of a simulated run: config.json with
 * `"mode": "live"`, summary.csv, timeseries.csv and latency-cdf.csv, from which the paper
 * module writes table.md, table.tex and the figures. Beside them, live-summary.csv and
 * live-table.md hold what only a live run measures: ingestion, processing and end-to-end
 * latency, throughput, consumer lag and the record accounting.
 */
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { LatencyHistogram } from "../framework/ingestion/latency-histogram.js";
import type { LiveRunResult } from "../framework/ingestion/live-pipeline.js";
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
import {
  fixedDecimals,
  toMarkdownTable,
  toTerminalTable,
  type TableColumn,
} from "../paper/tables.js";
import type { ScenarioConfig } from "../scenarios/scenario.js";

/** Live-only result files. */
export const liveFileNames = { summary: "live-summary.csv", table: "live-table.md" } as const;

/** Policy column value of a live run's rows: it runs one fixed in-process worker. */
const LIVE_POLICY = "live";

/** Columns of live-summary.csv, one row per run. Latencies in ms, rates in records/s. */
export const liveSummaryColumns = [
  "transport",
  "qos",
  "speed",
  "wall_duration_s",
  "throughput_records_per_sec",
  "ingestion_p50_ms",
  "ingestion_p95_ms",
  "ingestion_p99_ms",
  "processing_p50_ms",
  "processing_p95_ms",
  "processing_p99_ms",
  "end_to_end_p50_ms",
  "end_to_end_p95_ms",
  "end_to_end_p99_ms",
  "max_consumer_lag",
  "max_backlog",
  "records_sent",
  "records_received",
  "records_processed",
  "records_dead_lettered",
  "records_lost",
  "duplicates",
  "mqtt_reconnects",
  "peak_rss_mb",
] as const;

/** A live-summary.csv row. */
export type LiveSummaryRow = Record<(typeof liveSummaryColumns)[number], CellValue>;

/**
 * Returns the run id: scenario, "live", transport, seed and a digest of the settings. Two live
 * runs of the same flags measure different things, so the settings carry the start time
 * (`startedAt`) and each run gets its own folder.
 */
export function liveRunId(config: ScenarioConfig, settings: Record<string, unknown>): string {
  const digest = createHash("sha256")
    .update(JSON.stringify({ config, settings }))
    .digest("hex")
    .slice(0, 8);
  const transport = settings.kafka === null ? "mqtt" : "kafka";
  return `${config.name}-live-${transport}-seed${config.seed}-${digest}`;
}

/** Returns the live-summary.csv row of a run. */
export function liveSummaryRow(result: LiveRunResult, qos: 0 | 1, speed: number): LiveSummaryRow {
  const { processor } = result;
  const { stats } = processor;
  const lags = processor.intervals.map((interval) => interval.consumerLag ?? -1);
  const maxLag = Math.max(-1, ...lags);
  const reconnects = Object.values(result.connections).reduce((sum, c) => sum + c.disconnects, 0);
  return {
    transport: result.kafkaBrokers === null ? "mqtt" : "mqtt+kafka",
    qos,
    speed,
    wall_duration_s: result.wallDurationUs / 1e6,
    throughput_records_per_sec: stats.processed / Math.max(1e-6, result.wallDurationUs / 1e6),
    ...percentileCells("ingestion", processor.ingestionLatency),
    ...percentileCells("processing", processor.processingLatency),
    ...percentileCells("end_to_end", processor.endToEndLatency),
    max_consumer_lag: maxLag < 0 ? null : maxLag,
    max_backlog: stats.maxBacklog,
    records_sent: result.emitter.sent,
    records_received: stats.received,
    records_processed: stats.processed,
    records_dead_lettered: stats.deadLettered,
    records_lost: result.lost,
    duplicates: stats.duplicates,
    mqtt_reconnects: reconnects,
    peak_rss_mb: result.peakRssBytes / 2 ** 20,
  } as LiveSummaryRow;
}

function percentileCells(prefix: string, histogram: LatencyHistogram): Record<string, CellValue> {
  const ms = (q: number) => {
    const us = histogram.quantileUs(q);
    return us === null ? null : us / 1_000;
  };
  return {
    [`${prefix}_p50_ms`]: ms(0.5),
    [`${prefix}_p95_ms`]: ms(0.95),
    [`${prefix}_p99_ms`]: ms(0.99),
  };
}

/** Returns the summary.csv row of a live run; cost and executor columns are not measured. */
export function summaryRow(result: LiveRunResult, config: ScenarioConfig): SummaryRow {
  const { processor } = result;
  const latency = processor.endToEndLatency;
  const pipeline = processor.pipelineStats();
  const targetUs = config.sla.latencyTargetMs * 1_000;
  return {
    policy: LIVE_POLICY,
    provider: config.provider,
    cost_usd: null,
    cost_vs_static_peak: null,
    latency_p50_ms: toMs(latency.quantileUs(0.5)),
    latency_p95_ms: toMs(latency.quantileUs(0.95)),
    latency_p99_ms: toMs(latency.quantileUs(0.99)),
    sla_violation_share: latency.count === 0 ? null : shareAbove(latency, targetUs),
    executor_hours: null,
    cold_starts: null,
    records_processed: processor.stats.processed,
    records_unfinished: result.lost,
    late_records: pipeline.lateDeviceWindow,
    future_outliers: pipeline.futureOutliers,
    anomalies: pipeline.anomalies,
    detection_precision: null,
    detection_recall: null,
  };
}

/** Share of the histogram above `thresholdUs`, to within one bucket. */
function shareAbove(histogram: LatencyHistogram, thresholdUs: number): number {
  let low = 0;
  let high = 1;
  for (let i = 0; i < 20; i++) {
    const mid = (low + high) / 2;
    if ((histogram.quantileUs(mid) ?? 0) <= thresholdUs) low = mid;
    else high = mid;
  }
  return 1 - low;
}

/** Returns the timeseries.csv rows: one per report interval. */
export function timeseriesRows(result: LiveRunResult): TimeseriesRow[] {
  const intervals = result.processor.intervals;
  return intervals.map((interval, i) => {
    const nextS = intervals[i + 1]?.startS ?? result.wallDurationUs / 1e6;
    return {
      policy: LIVE_POLICY,
      interval_start_s: interval.startS,
      arrivals: interval.arrivals,
      arrivals_per_sec: interval.arrivals / Math.max(1e-6, nextS - interval.startS),
      backlog: interval.backlog,
      executors_running: interval.workers,
      executors_pending: 0,
      cost_usd: null,
      latency_p50_ms: interval.endToEndP50Ms,
      latency_p95_ms: interval.endToEndP95Ms,
      latency_p99_ms: interval.endToEndP99Ms,
    };
  });
}

/** Returns latency-cdf.csv rows: end-to-end latency at 201 evenly spaced shares. */
export function latencyCdfRows(result: LiveRunResult): LatencyCdfRow[] {
  const latency = result.processor.endToEndLatency;
  if (latency.count === 0) return [];
  const rows: LatencyCdfRow[] = [];
  for (let i = 0; i <= 200; i++) {
    const share = i / 200;
    rows.push({
      policy: LIVE_POLICY,
      latency_ms: latency.quantileUs(share)! / 1_000,
      cumulative_share: share,
    });
  }
  return rows;
}

/** Columns of the live table, for stdout and live-table.md. */
export const liveTableColumns: readonly TableColumn[] = [
  { key: "transport", header: "Transport" },
  { key: "throughput_records_per_sec", header: "Records/s", format: fixedDecimals(1) },
  { key: "ingestion_p50_ms", header: "Ingest p50 (ms)", format: fixedDecimals(1) },
  { key: "ingestion_p99_ms", header: "Ingest p99 (ms)", format: fixedDecimals(1) },
  { key: "processing_p50_ms", header: "Proc p50 (ms)", format: fixedDecimals(1) },
  { key: "end_to_end_p50_ms", header: "E2E p50 (ms)", format: fixedDecimals(1) },
  { key: "end_to_end_p95_ms", header: "E2E p95 (ms)", format: fixedDecimals(1) },
  { key: "end_to_end_p99_ms", header: "E2E p99 (ms)", format: fixedDecimals(1) },
  { key: "max_consumer_lag", header: "Max lag", format: fixedDecimals(0) },
  { key: "records_sent", header: "Sent", format: fixedDecimals(0) },
  { key: "records_processed", header: "Processed", format: fixedDecimals(0) },
  { key: "records_dead_lettered", header: "Dead-lettered", format: fixedDecimals(0) },
  { key: "records_lost", header: "Lost", format: fixedDecimals(0) },
  { key: "duplicates", header: "Duplicates", format: fixedDecimals(0) },
  { key: "peak_rss_mb", header: "Peak RSS (MB)", format: fixedDecimals(0) },
];

/** Returns the live table as aligned text. */
export function liveTerminalTable(row: LiveSummaryRow): string {
  return toTerminalTable(liveTableColumns, [row]);
}

/**
 * Writes config.json, summary.csv, timeseries.csv, latency-cdf.csv, live-summary.csv and
 * live-table.md into `runDir`.
 */
export async function writeLiveRunFiles(
  runDir: string,
  config: ScenarioConfig,
  result: LiveRunResult,
  liveRow: LiveSummaryRow,
  runConfig: Record<string, unknown>,
): Promise<void> {
  await mkdir(runDir, { recursive: true });
  await writeFile(join(runDir, runFileNames.config), `${JSON.stringify(runConfig, null, 2)}\n`);
  await writeCsv(join(runDir, runFileNames.summary), summaryColumns, [summaryRow(result, config)]);
  await writeCsv(join(runDir, runFileNames.timeseries), timeseriesColumns, timeseriesRows(result));
  await writeCsv(join(runDir, runFileNames.latencyCdf), latencyCdfColumns, latencyCdfRows(result));
  await writeCsv(join(runDir, liveFileNames.summary), liveSummaryColumns, [liveRow]);
  const caption = `Live run of ${config.name}: ingestion through real brokers`;
  await writeFile(
    join(runDir, liveFileNames.table),
    `${caption}\n\n${toMarkdownTable(liveTableColumns, [liveRow])}`,
  );
}

function toMs(valueUs: number | null): number | null {
  return valueUs === null ? null : valueUs / 1_000;
}
