/**
 * The learning curve of a training run: one row per progress report with the mean return of
 * recent episodes and the agent's diagnostics. It is written as CSV and drawn as a Vega-Lite
 * line chart by `paper/render-figure.ts`, which the comparison figures also use.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { TopLevelSpec } from "vega-lite";
import { renderFigure } from "../paper/render-figure.js";

/** One point of the curve. */
export interface CurvePoint {
  steps: number;
  episodes: number;
  /** Mean return of the last (up to) 20 finished episodes. */
  meanReturn: number;
  metrics: Record<string, number>;
}

const fixedColumns = ["steps", "episodes", "mean_return"];

/** Writes the curve to `path` as CSV; metric columns follow the fixed ones, sorted by name. */
export function writeCurveCsv(path: string, points: readonly CurvePoint[]): void {
  const metricNames = [...new Set(points.flatMap((p) => Object.keys(p.metrics)))].sort();
  const lines = [[...fixedColumns, ...metricNames].join(",")];
  for (const point of points) {
    const metrics = metricNames.map((name) => formatNumber(point.metrics[name]));
    lines.push([point.steps, point.episodes, formatNumber(point.meanReturn), ...metrics].join(","));
  }
  writeFileSync(path, lines.join("\n") + "\n");
}

/** Reads a curve written by `writeCurveCsv`, for resuming; empty when the file is absent. */
export function readCurveCsv(path: string): CurvePoint[] {
  if (!existsSync(path)) return [];
  const [header, ...rows] = readFileSync(path, "utf8").trim().split("\n");
  const names = header.split(",");
  return rows.map((row) => {
    const cells = row.split(",").map((cell) => (cell === "" ? Number.NaN : Number(cell)));
    const metrics: Record<string, number> = {};
    names.slice(fixedColumns.length).forEach((name, i) => {
      if (Number.isFinite(cells[fixedColumns.length + i]))
        metrics[name] = cells[fixedColumns.length + i];
    });
    return { steps: cells[0], episodes: cells[1], meanReturn: cells[2], metrics };
  });
}

/** Renders the mean return against environment steps to `basePath`.{vl.json,svg,png}. */
export async function renderCurve(
  basePath: string,
  points: readonly CurvePoint[],
  title: string,
): Promise<void> {
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title,
    width: 480,
    height: 260,
    data: {
      values: points
        .filter((p) => Number.isFinite(p.meanReturn))
        .map((p) => ({ steps: p.steps, mean_return: p.meanReturn })),
    },
    mark: { type: "line", interpolate: "monotone" },
    encoding: {
      x: { field: "steps", type: "quantitative", title: "Environment steps" },
      y: { field: "mean_return", type: "quantitative", title: "Mean episode return (last 20)" },
    },
  };
  await renderFigure(spec, basePath);
}

function formatNumber(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? "" : String(Number(value.toPrecision(6)));
}
