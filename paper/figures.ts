/**
 * Vega-Lite (v6) specifications of the result figures, built from plain row arrays. Every
 * specification embeds its data, so a `.vl.json` file renders on its own, and sets DejaVu Sans
 * for all text.
 */
import type { TopLevelSpec } from "vega-lite";

import { figureFontFamily } from "./render-figure.js";

export { figureFontFamily, renderFigure, type RenderedFigure } from "./render-figure.js";

const schemaUrl = "https://vega.github.io/schema/vega-lite/v6.json";

/** Shared look: one font for all text, white background, paper-sized plot area. */
const figureConfig = {
  font: figureFontFamily,
  background: "white",
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
};

const plotSize = { width: 440, height: 280 };

/** A layer of a layered specification. */
type LayerEntry = Extract<TopLevelSpec, { layer: unknown }>["layer"][number];

/** One policy's cost and tail latency. */
export interface CostLatencyPoint {
  readonly policy: string;
  readonly costUsd: number;
  /** Null when latency was not measured, which leaves the policy out of the plot. */
  readonly latencyP95Ms: number | null;
}

/** One point of a policy's latency CDF. */
export interface LatencyCdfPoint {
  readonly policy: string;
  readonly latencyMs: number;
  /** Share of records with latency at most `latencyMs`, in [0, 1]. */
  readonly cumulativeShare: number;
}

/** Executors of one policy and the offered load in one control interval. */
export interface ExecutorsPoint {
  readonly policy: string;
  /** Start of the control interval, in seconds from the start of the run. */
  readonly timeS: number;
  readonly executors: number;
  readonly arrivalsPerSec: number;
}

/**
 * Returns a scatter plot of cost against p95 latency with one labelled point per policy, and a
 * dashed vertical rule at `slaMs` when given. Policies without a measured latency are omitted.
 */
export function costVsLatencySpec(rows: readonly CostLatencyPoint[], slaMs?: number): TopLevelSpec {
  const points = rows.filter((row) => row.latencyP95Ms !== null);
  const x = { field: "latencyP95Ms", type: "quantitative", title: "p95 latency (ms)" } as const;
  const y = { field: "costUsd", type: "quantitative", title: "Cost (USD)" } as const;

  return {
    $schema: schemaUrl,
    ...plotSize,
    config: figureConfig,
    layer: [
      {
        data: { values: points },
        mark: { type: "point", filled: true, size: 90 },
        encoding: { x, y, color: { field: "policy", type: "nominal", legend: null } },
      },
      {
        data: { values: points },
        mark: { type: "text", align: "left", dx: 7, dy: -7, fontSize: 11 },
        encoding: { x, y, text: { field: "policy", type: "nominal" } },
      },
      ...slaLayers(slaMs, "top"),
    ],
  };
}

/**
 * Returns one latency CDF line per policy on a logarithmic latency axis, with a dashed vertical
 * rule at `slaMs` when given. Points with a latency of 0 or less cannot be placed on a log
 * axis and are omitted.
 */
export function latencyCdfSpec(rows: readonly LatencyCdfPoint[], slaMs?: number): TopLevelSpec {
  const points = rows.filter((row) => row.latencyMs > 0);

  return {
    $schema: schemaUrl,
    ...plotSize,
    config: figureConfig,
    layer: [
      {
        data: { values: points },
        mark: { type: "line", strokeWidth: 2 },
        encoding: {
          x: {
            field: "latencyMs",
            type: "quantitative",
            title: "End-to-end latency (ms, log scale)",
            scale: { type: "log" },
          },
          y: {
            field: "cumulativeShare",
            type: "quantitative",
            title: "Share of records",
            scale: { domain: [0, 1] },
            axis: { format: "%" },
          },
          color: { field: "policy", type: "nominal", title: "Policy" },
        },
      },
      // The curves reach the top near the target, so the label goes at the bottom.
      ...slaLayers(slaMs, "bottom"),
    ],
  };
}

/**
 * Returns executors per policy over time (step lines, left axis) against the offered load
 * (shaded area, right axis, averaged over policies because they replay the same trace).
 * The embedded data repeats each policy's last row at the end of its interval, taken to be as
 * long as the interval before it, so that the steps draw the last interval too.
 */
export function executorsOverTimeSpec(rows: readonly ExecutorsPoint[]): TopLevelSpec {
  const x = { field: "timeS", type: "quantitative", title: "Time (s)" } as const;

  return {
    $schema: schemaUrl,
    ...plotSize,
    config: figureConfig,
    data: { values: withIntervalEnds(rows) },
    layer: [
      {
        transform: [
          {
            aggregate: [{ op: "mean", field: "arrivalsPerSec", as: "arrivalsPerSec" }],
            groupby: ["timeS"],
          },
        ],
        mark: { type: "area", interpolate: "step-after", color: "#bbbbbb", opacity: 0.5 },
        encoding: {
          x,
          y: {
            field: "arrivalsPerSec",
            type: "quantitative",
            title: "Load (records/s, shaded)",
            axis: { orient: "right", grid: false },
          },
        },
      },
      {
        mark: { type: "line", interpolate: "step-after", strokeWidth: 2 },
        encoding: {
          x,
          y: { field: "executors", type: "quantitative", title: "Executors" },
          color: { field: "policy", type: "nominal", title: "Policy" },
        },
      },
    ],
    resolve: { scale: { y: "independent" } },
  };
}

function withIntervalEnds(rows: readonly ExecutorsPoint[]): ExecutorsPoint[] {
  const rowsByPolicy = new Map<string, ExecutorsPoint[]>();
  for (const row of rows) {
    const policyRows = rowsByPolicy.get(row.policy);
    if (policyRows === undefined) {
      rowsByPolicy.set(row.policy, [row]);
    } else {
      policyRows.push(row);
    }
  }

  const intervalEnds: ExecutorsPoint[] = [];
  for (const policyRows of rowsByPolicy.values()) {
    const [previous, last] = [...policyRows].sort((a, b) => a.timeS - b.timeS).slice(-2);
    if (last !== undefined && last.timeS > previous.timeS) {
      intervalEnds.push({ ...last, timeS: 2 * last.timeS - previous.timeS });
    }
  }
  return [...rows, ...intervalEnds];
}

/**
 * Returns a dashed vertical rule at `slaMs` with an "SLA target" label at the top or bottom of
 * the plot, or no layers when `slaMs` is undefined.
 */
function slaLayers(slaMs: number | undefined, labelPosition: "top" | "bottom"): LayerEntry[] {
  if (slaMs === undefined) {
    return [];
  }

  const x = { datum: slaMs, type: "quantitative" } as const;
  return [
    {
      data: { values: [{}] },
      mark: { type: "rule", color: "#555555", strokeDash: [6, 4] },
      encoding: { x },
    },
    {
      data: { values: [{}] },
      mark: {
        type: "text",
        text: "SLA target",
        align: "left",
        baseline: labelPosition,
        dx: 4,
        dy: labelPosition === "top" ? 4 : -4,
      },
      encoding: { x, y: { value: labelPosition === "top" ? 0 : plotSize.height } },
    },
  ];
}
