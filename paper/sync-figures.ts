/**
 * Vega-Lite specifications of the sync comparison's figures: latency CDF per scheme, bytes
 * per change per scheme, and unseen edge changes over time around the partition. Each embeds
 * its data and uses the figures' shared font.
 */
import type { TopLevelSpec } from "vega-lite";
import { figureFontFamily } from "./render-figure.js";

const schemaUrl = "https://vega.github.io/schema/vega-lite/v6.json";
const config = {
  font: figureFontFamily,
  background: "white",
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
};
const size = { width: 440, height: 280 };
const schemeColor = { field: "scheme", type: "nominal", title: "Scheme" } as const;

/** Returns one sync latency CDF line per scheme on a log axis; non-positive points are omitted. */
export function syncLatencyCdfSpec(
  rows: readonly { scheme: string; latencyMs: number; cumulativeShare: number }[],
): TopLevelSpec {
  return {
    $schema: schemaUrl,
    ...size,
    config,
    data: { values: rows.filter((row) => row.latencyMs > 0) },
    mark: { type: "line", strokeWidth: 2 },
    encoding: {
      x: {
        field: "latencyMs",
        type: "quantitative",
        title: "Edge change to cloud replica (ms, log scale)",
        scale: { type: "log" },
      },
      y: {
        field: "cumulativeShare",
        type: "quantitative",
        title: "Share of changes",
        scale: { domain: [0, 1] },
        axis: { format: "%" },
      },
      color: schemeColor,
    },
  };
}

/** Returns a bar per scheme of bytes on the wire per change, on a log axis. */
export function bytesPerChangeSpec(
  rows: readonly { scheme: string; bytesPerChange: number }[],
): TopLevelSpec {
  return {
    $schema: schemaUrl,
    ...size,
    config,
    data: { values: rows.filter((row) => row.bytesPerChange > 0) },
    mark: { type: "bar" },
    encoding: {
      x: { field: "scheme", type: "nominal", title: "Scheme", sort: null },
      y: {
        field: "bytesPerChange",
        type: "quantitative",
        title: "Bytes on the wire per change (log scale)",
        scale: { type: "log" },
      },
      color: { ...schemeColor, legend: null },
    },
  };
}

/** Returns unseen edge changes over time per scheme, with the partitions shaded. */
export function unseenChangesSpec(
  rows: readonly { scheme: string; timeS: number; unseenChanges: number }[],
  partitions: readonly { fromS: number; toS: number }[],
): TopLevelSpec {
  const x = { field: "timeS", type: "quantitative", title: "Time (s)" } as const;
  return {
    $schema: schemaUrl,
    ...size,
    config,
    layer: [
      {
        data: { values: [...partitions] },
        mark: { type: "rect", color: "#dddddd" },
        encoding: { x: { field: "fromS", type: "quantitative" }, x2: { field: "toS" } },
      },
      {
        data: { values: [...rows] },
        mark: { type: "line", strokeWidth: 1.5 },
        encoding: {
          x,
          y: {
            field: "unseenChanges",
            type: "quantitative",
            title: "Edge changes not yet in the cloud",
          },
          color: schemeColor,
        },
      },
    ],
  };
}
