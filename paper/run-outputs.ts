/**
 * Regeneration of a run's tables and figures from the CSV files and config.json in its results
 * directory. `npm run paper` and the simulator's CLI both call `writeRunOutputs`, so figures
 * can be redrawn without rerunning the simulation.
 */
import { stat, writeFile } from "node:fs/promises";
import { join } from "node:path";

import { UserInputError } from "../framework/runtime/user-input-error.js";
import { readCsv, type CellValue, type CsvRow } from "./csv.js";
import {
  costVsLatencySpec,
  executorsOverTimeSpec,
  latencyCdfSpec,
  renderFigure,
  type CostLatencyPoint,
  type ExecutorsPoint,
  type LatencyCdfPoint,
} from "./figures.js";
import {
  latencyCdfColumns,
  readRunConfig,
  runFileNames,
  summaryColumns,
  timeseriesColumns,
  type RunConfig,
} from "./run-files.js";
import {
  fixedDecimals,
  percent,
  toLatexTable,
  toMarkdownTable,
  toTerminalTable,
  type TableColumn,
} from "./tables.js";

/** Base names of the figures, each written as .vl.json, .svg and .png. */
export const figureNames = {
  costVsLatency: "cost-vs-latency",
  latencyCdf: "latency-cdf",
  executorsOverTime: "executors-over-time",
} as const;

/** Columns of the summary table, with headings and number formats. */
export const summaryTableColumns: readonly TableColumn[] = [
  { key: "policy", header: "Policy" },
  { key: "provider", header: "Provider" },
  { key: "cost_usd", header: "Cost (USD)", format: fixedDecimals(4) },
  { key: "cost_vs_static_peak", header: "Cost vs static peak", format: fixedDecimals(2) },
  { key: "latency_p50_ms", header: "p50 (ms)", format: fixedDecimals(1) },
  { key: "latency_p95_ms", header: "p95 (ms)", format: fixedDecimals(1) },
  { key: "latency_p99_ms", header: "p99 (ms)", format: fixedDecimals(1) },
  { key: "sla_violation_share", header: "SLA violations", format: percent(1) },
  { key: "executor_hours", header: "Executor-hours", format: fixedDecimals(2) },
  { key: "cold_starts", header: "Cold starts", format: fixedDecimals(0) },
  { key: "records_processed", header: "Records", format: fixedDecimals(0) },
  { key: "late_records", header: "Late", format: fixedDecimals(0) },
  { key: "detection_precision", header: "Precision", format: fixedDecimals(3) },
  { key: "detection_recall", header: "Recall", format: fixedDecimals(3) },
];

/** Settings of `writeRunOutputs`. */
export interface RunOutputOptions {
  /** Whether to render the figures; when false only the tables are written. Default true. */
  readonly includesFigures?: boolean;
}

/** Files written by `writeRunOutputs`, and the summary table as text. */
export interface RunOutputs {
  /** Paths of the files written, in the order they were written. */
  readonly writtenPaths: string[];
  /** The summary table as aligned plain text, for stdout. */
  readonly terminalTable: string;
}

/**
 * Reads summary.csv, timeseries.csv, latency-cdf.csv and config.json from `runDir` and writes
 * table.md, table.tex and the figures beside them. Throws UserInputError naming the path when
 * the directory or a file is missing, a column is missing, or a value has the wrong type.
 */
export async function writeRunOutputs(
  runDir: string,
  options: RunOutputOptions = {},
): Promise<RunOutputs> {
  await requireDirectory(runDir);
  const config = await readRunConfig(join(runDir, runFileNames.config));
  const summary = await readRunCsv(runDir, runFileNames.summary, summaryColumns);
  const timeseries = await readRunCsv(runDir, runFileNames.timeseries, timeseriesColumns);
  const latencyCdf = await readRunCsv(runDir, runFileNames.latencyCdf, latencyCdfColumns);

  const writtenPaths = await writeTables(runDir, config, summary.rows);
  if (options.includesFigures ?? true) {
    const figures = await writeFigures(runDir, config, summary, timeseries, latencyCdf);
    writtenPaths.push(...figures);
  }

  return { writtenPaths, terminalTable: toTerminalTable(summaryTableColumns, summary.rows) };
}

/** Rows of one CSV file of the run, with the path used in error messages. */
interface RunCsv {
  readonly path: string;
  readonly rows: CsvRow[];
}

async function requireDirectory(runDir: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(runDir)).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new UserInputError(`results directory "${runDir}" not found`);
    }
    throw error;
  }

  if (!isDirectory) {
    throw new UserInputError(`"${runDir}" is not a directory: expected results/<run-id>`);
  }
}

async function readRunCsv(
  runDir: string,
  fileName: string,
  requiredColumns: readonly string[],
): Promise<RunCsv> {
  const path = join(runDir, fileName);
  const table = await readCsv(path);

  const missing = requiredColumns.filter((column) => !table.columns.includes(column));
  if (missing.length > 0) {
    throw new UserInputError(`"${path}" is missing columns ${missing.join(", ")}`);
  }
  return { path, rows: table.rows };
}

async function writeTables(runDir: string, config: RunConfig, rows: CsvRow[]): Promise<string[]> {
  const caption =
    `Results of scenario ${config.scenario} (seed ${config.seed}) against a ` +
    `p${config.sla.percentile} latency target of ${config.sla.latencyTargetMs} ms.`;

  const markdownPath = join(runDir, runFileNames.markdownTable);
  const markdown = `${caption}\n\n${toMarkdownTable(summaryTableColumns, rows)}`;
  await writeFile(markdownPath, markdown, "utf8");

  const latexPath = join(runDir, runFileNames.latexTable);
  const label = `tab:${config.scenario.replace(/[^A-Za-z0-9]+/g, "-")}-summary`;
  await writeFile(latexPath, toLatexTable(summaryTableColumns, rows, { caption, label }), "utf8");
  return [markdownPath, latexPath];
}

/**
 * Renders the three figures into `runDir`.
 * NOTE: the cost figure plots p95 latency against the SLA target even when the SLA sets
 * another percentile.
 */
async function writeFigures(
  runDir: string,
  config: RunConfig,
  summary: RunCsv,
  timeseries: RunCsv,
  latencyCdf: RunCsv,
): Promise<string[]> {
  const slaMs = config.sla.latencyTargetMs;
  const figures = [
    { name: figureNames.costVsLatency, spec: costVsLatencySpec(costPoints(summary), slaMs) },
    { name: figureNames.latencyCdf, spec: latencyCdfSpec(cdfPoints(latencyCdf), slaMs) },
    {
      name: figureNames.executorsOverTime,
      spec: executorsOverTimeSpec(executorPoints(timeseries)),
    },
  ];

  const writtenPaths: string[] = [];
  for (const { name, spec } of figures) {
    const rendered = await renderFigure(spec, join(runDir, name));
    writtenPaths.push(rendered.specPath, rendered.svgPath, rendered.pngPath);
  }
  return writtenPaths;
}

/** Returns each policy's cost and p95 latency, leaving out policies whose cost is NA. */
function costPoints(summary: RunCsv): CostLatencyPoint[] {
  const points: CostLatencyPoint[] = [];
  summary.rows.forEach((row, index) => {
    const cell = cellReader(summary.path, row, index);
    const costUsd = cell.number("cost_usd");
    if (costUsd !== null) {
      const latencyP95Ms = cell.number("latency_p95_ms");
      points.push({ policy: cell.text("policy"), costUsd, latencyP95Ms });
    }
  });
  return points;
}

function cdfPoints(latencyCdf: RunCsv): LatencyCdfPoint[] {
  return latencyCdf.rows.map((row, index) => {
    const cell = cellReader(latencyCdf.path, row, index);
    return {
      policy: cell.text("policy"),
      latencyMs: cell.requiredNumber("latency_ms"),
      cumulativeShare: cell.requiredNumber("cumulative_share"),
    };
  });
}

/** Returns executors and load per interval, leaving out intervals where either is NA. */
function executorPoints(timeseries: RunCsv): ExecutorsPoint[] {
  const points: ExecutorsPoint[] = [];
  timeseries.rows.forEach((row, index) => {
    const cell = cellReader(timeseries.path, row, index);
    const executors = cell.number("executors_running");
    const arrivalsPerSec = cell.number("arrivals_per_sec");
    if (executors !== null && arrivalsPerSec !== null) {
      const timeS = cell.requiredNumber("interval_start_s");
      points.push({ policy: cell.text("policy"), timeS, executors, arrivalsPerSec });
    }
  });
  return points;
}

/** Typed access to the cells of one CSV row, with errors that name the file, row and column. */
function cellReader(path: string, row: CsvRow, index: number) {
  const fail = (column: string, value: CellValue, expected: string): never => {
    throw new UserInputError(
      `invalid value ${JSON.stringify(value)} in column "${column}" of "${path}" row ` +
        `${index + 1}: expected ${expected}`,
    );
  };

  return {
    text(column: string): string {
      const value = row[column];
      return value === null ? fail(column, value, "a name") : String(value);
    },
    number(column: string): number | null {
      const value = row[column];
      return typeof value === "string" ? fail(column, value, "a number or NA") : value;
    },
    requiredNumber(column: string): number {
      const value = row[column];
      return typeof value === "number" ? value : fail(column, value, "a number");
    },
  };
}
