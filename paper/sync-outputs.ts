/**
 * Tables and figures of the sync comparison, regenerated from sync.csv,
 * sync-latency-cdf.csv, sync-backlog.csv and (when present) prefetch.csv in a run's results
 * directory.
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { UserInputError } from "../framework/runtime/user-input-error.js";
import { readCsv, type CsvRow } from "./csv.js";
import { renderFigure } from "./render-figure.js";
import { bytesPerChangeSpec, syncLatencyCdfSpec, unseenChangesSpec } from "./sync-figures.js";
import { syncFileNames } from "./sync-files.js";
import {
  fixedDecimals,
  percent,
  toLatexTable,
  toMarkdownTable,
  toTerminalTable,
  type TableColumn,
} from "./tables.js";

/** Base names of the sync figures, each written as .vl.json, .svg and .png. */
export const syncFigureNames = {
  latencyCdf: "sync-latency-cdf",
  bytesPerChange: "sync-bytes-per-change",
  unseenChanges: "sync-unseen-changes",
} as const;

/** Columns of the sync table. */
export const syncTableColumns: readonly TableColumn[] = [
  { key: "scheme", header: "Scheme" },
  { key: "latency_p50_ms", header: "p50 (ms)", format: fixedDecimals(1) },
  { key: "latency_p95_ms", header: "p95 (ms)", format: fixedDecimals(1) },
  { key: "latency_p99_ms", header: "p99 (ms)", format: fixedDecimals(1) },
  { key: "latency_max_ms", header: "max (ms)", format: fixedDecimals(1) },
  { key: "bytes_per_change", header: "B/change", format: fixedDecimals(0) },
  { key: "messages_per_change", header: "msg/change", format: fixedDecimals(2) },
  { key: "convergence_s", header: "Converge (s)", format: fixedDecimals(1) },
  { key: "conflicts", header: "Conflicts", format: fixedDecimals(0) },
  { key: "resolution", header: "Resolution", align: "left" },
  { key: "divergent_keys", header: "Diverged", format: fixedDecimals(0) },
  { key: "stale_reads", header: "Stale reads", format: fixedDecimals(0) },
  { key: "stale_share", header: "Stale", format: percent(1) },
  { key: "stale_gap_max_s", header: "Max stale gap (s)", format: fixedDecimals(1) },
];

/** Columns of the prefetch table. */
export const prefetchTableColumns: readonly TableColumn[] = [
  { key: "predictor", header: "Predictor" },
  { key: "reads", header: "Reads", format: fixedDecimals(0) },
  { key: "hit_rate", header: "Hit rate", format: percent(1) },
  { key: "read_latency_mean_ms", header: "Read mean (ms)", format: fixedDecimals(1) },
  { key: "read_latency_p95_ms", header: "Read p95 (ms)", format: fixedDecimals(1) },
  { key: "prefetches", header: "Prefetches", format: fixedDecimals(0) },
  { key: "wasted_prefetches", header: "Wasted", format: fixedDecimals(0) },
  { key: "wasted_bytes", header: "Wasted bytes", format: fixedDecimals(0) },
];

/** Settings of `writeSyncOutputs`. */
export interface SyncOutputOptions {
  /** Whether to render the figures. Default true. */
  readonly includesFigures?: boolean;
}

/**
 * Writes sync-table.md, sync-table.tex and the sync figures into `runDir`; returns the sync
 * table (and the prefetch table when prefetch.csv exists) as text for stdout. Throws
 * UserInputError naming the file when sync.csv or a series file is missing or malformed.
 */
export async function writeSyncOutputs(
  runDir: string,
  options: SyncOutputOptions = {},
): Promise<string> {
  const summary = await readCsv(join(runDir, syncFileNames.summary));
  const prefetchPath = join(runDir, syncFileNames.prefetch);
  const prefetch = existsSync(prefetchPath) ? await readCsv(prefetchPath) : null;

  const caption = "Edge-cloud state sync: latency from an edge change to the cloud replica.";
  let markdown = `${caption}\n\n${toMarkdownTable(syncTableColumns, summary.rows)}`;
  let latex = toLatexTable(syncTableColumns, summary.rows, { caption, label: "tab:sync" });
  let terminal = toTerminalTable(syncTableColumns, summary.rows);
  if (prefetch !== null) {
    const prefetchCaption = "Cloud reads with predictive prefetching.";
    markdown += `\n${prefetchCaption}\n\n${toMarkdownTable(prefetchTableColumns, prefetch.rows)}`;
    latex += toLatexTable(prefetchTableColumns, prefetch.rows, {
      caption: prefetchCaption,
      label: "tab:prefetch",
    });
    terminal += `\n${toTerminalTable(prefetchTableColumns, prefetch.rows)}`;
  }
  await writeFile(join(runDir, syncFileNames.markdownTable), markdown, "utf8");
  await writeFile(join(runDir, syncFileNames.latexTable), latex, "utf8");

  if (options.includesFigures ?? true) await writeSyncFigures(runDir, summary.rows);
  return terminal;
}

async function writeSyncFigures(runDir: string, summaryRows: CsvRow[]): Promise<void> {
  const cdf = await readCsv(join(runDir, syncFileNames.latencyCdf));
  const backlog = await readCsv(join(runDir, syncFileNames.backlog));
  const number = (row: CsvRow, column: string, file: string): number => {
    const value = row[column];
    if (typeof value !== "number") {
      throw new UserInputError(
        `invalid value ${JSON.stringify(value)} in column "${column}" of "${file}": expected a number`,
      );
    }
    return value;
  };

  const cdfRows = cdf.rows.map((row) => ({
    scheme: String(row.scheme),
    latencyMs: number(row, "latency_ms", syncFileNames.latencyCdf),
    cumulativeShare: number(row, "cumulative_share", syncFileNames.latencyCdf),
  }));
  const bytesRows = summaryRows
    .filter((row) => typeof row.bytes_per_change === "number")
    .map((row) => ({ scheme: String(row.scheme), bytesPerChange: row.bytes_per_change as number }));
  const backlogRows = backlog.rows.map((row) => ({
    scheme: String(row.scheme),
    timeS: number(row, "time_s", syncFileNames.backlog),
    unseenChanges: number(row, "unseen_changes", syncFileNames.backlog),
  }));

  const figures = [
    { name: syncFigureNames.latencyCdf, spec: syncLatencyCdfSpec(cdfRows) },
    { name: syncFigureNames.bytesPerChange, spec: bytesPerChangeSpec(bytesRows) },
    {
      name: syncFigureNames.unseenChanges,
      spec: unseenChangesSpec(backlogRows, await partitionsOf(runDir)),
    },
  ];
  for (const { name, spec } of figures) await renderFigure(spec, join(runDir, name));
}

/** Returns the sync partitions recorded in config.json, in seconds; none when absent. */
async function partitionsOf(runDir: string): Promise<{ fromS: number; toS: number }[]> {
  try {
    const runConfig = JSON.parse(await readFile(join(runDir, "config.json"), "utf8"));
    const sync = runConfig?.config?.sync;
    if (sync === undefined || !(sync.partitionedEdges > 0)) return [];
    return (sync.partitions as { fromUs: number; toUs: number }[]).map((partition) => ({
      fromS: partition.fromUs / 1e6,
      toS: partition.toUs / 1e6,
    }));
  } catch {
    return [];
  }
}
