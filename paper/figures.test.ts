import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { compile, type TopLevelSpec } from "vega-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  costVsLatencySpec,
  executorsOverTimeSpec,
  latencyCdfSpec,
  renderFigure,
  type CostLatencyPoint,
  type ExecutorsPoint,
  type LatencyCdfPoint,
} from "./figures.js";
import { figureToSvg } from "./render-figure.js";

const costPoints: CostLatencyPoint[] = [
  { policy: "static-peak", costUsd: 4.2, latencyP95Ms: 820 },
  { policy: "dqn", costUsd: 2.1, latencyP95Ms: 1750 },
  { policy: "untested", costUsd: 1.5, latencyP95Ms: null },
];

const cdfPoints: LatencyCdfPoint[] = [
  { policy: "static-peak", latencyMs: 0, cumulativeShare: 0 },
  { policy: "static-peak", latencyMs: 100, cumulativeShare: 0.5 },
  { policy: "static-peak", latencyMs: 900, cumulativeShare: 1 },
  { policy: "dqn", latencyMs: 150, cumulativeShare: 0.5 },
  { policy: "dqn", latencyMs: 1800, cumulativeShare: 1 },
];

const executorPoints: ExecutorsPoint[] = [0, 10, 20].flatMap((timeS) => [
  { policy: "static-peak", timeS, executors: 10, arrivalsPerSec: 100 + timeS },
  { policy: "dqn", timeS, executors: 2 + timeS / 10, arrivalsPerSec: 100 + timeS },
]);

/** Compiles `spec` with vega-lite and returns the warnings it logged. */
function compileWarnings(spec: TopLevelSpec): string[] {
  const warnings: string[] = [];
  const logger = {
    level: () => logger,
    error: (...args: unknown[]) => {
      throw new Error(args.join(" "));
    },
    warn: (...args: unknown[]) => {
      warnings.push(args.join(" "));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  compile(spec, { logger });
  return warnings;
}

/** Returns the data layers' inline values, concatenated. */
function layerValues(spec: TopLevelSpec): unknown[] {
  const layers = (spec as { layer: { data?: { values?: unknown[] } }[] }).layer;
  return layers.flatMap((layer) => layer.data?.values ?? []);
}

const specs: [string, TopLevelSpec][] = [
  ["costVsLatencySpec", costVsLatencySpec(costPoints, 2000)],
  ["latencyCdfSpec", latencyCdfSpec(cdfPoints, 2000)],
  ["executorsOverTimeSpec", executorsOverTimeSpec(executorPoints)],
];

describe("figure specifications", () => {
  it.each(specs)("%s compiles without warnings", (_name, spec) => {
    expect(compileWarnings(spec)).toEqual([]);
  });

  it.each(specs)("%s sets DejaVu Sans for all text", (_name, spec) => {
    expect(spec.config?.font).toBe("DejaVu Sans");
  });

  it.each(specs)("%s uses the Vega-Lite v6 schema", (_name, spec) => {
    expect(spec.$schema).toBe("https://vega.github.io/schema/vega-lite/v6.json");
  });
});

describe("costVsLatencySpec", () => {
  it("omits policies without a measured latency", () => {
    const policies = layerValues(costVsLatencySpec(costPoints)).map(
      (point) => (point as CostLatencyPoint).policy,
    );

    expect(policies).not.toContain("untested");
  });

  it("draws the SLA rule when a target is given", () => {
    const spec = JSON.stringify(costVsLatencySpec(costPoints, 2000));

    expect(spec).toContain('"type":"rule"');
  });

  it("draws no rule without a target", () => {
    const spec = JSON.stringify(costVsLatencySpec(costPoints));

    expect(spec).not.toContain('"type":"rule"');
  });
});

describe("latencyCdfSpec", () => {
  it("omits latencies that a log axis cannot show", () => {
    const latencies = layerValues(latencyCdfSpec(cdfPoints)).map(
      (point) => (point as LatencyCdfPoint).latencyMs,
    );

    expect(latencies).not.toContain(0);
  });

  it("puts latency on a log scale", () => {
    expect(JSON.stringify(latencyCdfSpec(cdfPoints))).toContain('"scale":{"type":"log"}');
  });
});

describe("executorsOverTimeSpec", () => {
  it("extends each policy to the end of its last interval", () => {
    const spec = executorsOverTimeSpec(executorPoints) as { data: { values: ExecutorsPoint[] } };
    const dqnTimes = spec.data.values.filter((row) => row.policy === "dqn").map((row) => row.timeS);

    expect(dqnTimes).toEqual([0, 10, 20, 30]);
  });

  it("leaves a single-interval policy as it is", () => {
    const spec = executorsOverTimeSpec([executorPoints[0]]) as { data: { values: unknown[] } };

    expect(spec.data.values).toHaveLength(1);
  });

  it("gives executors and load independent y scales", () => {
    const spec = executorsOverTimeSpec(executorPoints) as { resolve?: unknown };

    expect(spec.resolve).toEqual({ scale: { y: "independent" } });
  });
});

describe("renderFigure", () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "paper-figures-"));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("writes the specification, SVG and PNG", async () => {
    const spec = costVsLatencySpec(costPoints, 2000);
    const figure = await renderFigure(spec, join(directory, "cost"));

    expect(JSON.parse(await readFile(figure.specPath, "utf8"))).toEqual(spec);
    expect(await readFile(figure.svgPath, "utf8")).toMatch(/^<svg /);
    // Every PNG file starts with these eight bytes.
    const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect((await readFile(figure.pngPath)).subarray(0, 8).equals(pngSignature)).toBe(true);
  });

  it.each(specs)("%s uses DejaVu Sans and no other font", async (_name, spec) => {
    const svg = await figureToSvg(spec);
    const fontDeclarations = svg.match(/font-family/g) ?? [];
    const dejaVuDeclarations = svg.match(/font-family="DejaVu Sans"/g) ?? [];

    expect(fontDeclarations.length).toBeGreaterThan(0);
    expect(dejaVuDeclarations.length).toBe(fontDeclarations.length);
  });

  it("renders the same SVG bytes twice", async () => {
    const first = await renderFigure(latencyCdfSpec(cdfPoints, 2000), join(directory, "a"));
    const second = await renderFigure(latencyCdfSpec(cdfPoints, 2000), join(directory, "b"));

    const firstSvg = await readFile(first.svgPath);
    const secondSvg = await readFile(second.svgPath);
    expect(firstSvg.equals(secondSvg)).toBe(true);
  });

  it("restarts clip path ids on every render", async () => {
    // Vega names clip paths from a counter that would otherwise keep growing across renders.
    const clippedSpec: TopLevelSpec = {
      data: { values: [{ x: 1, y: 1 }] },
      mark: { type: "line", clip: true },
      encoding: {
        x: { field: "x", type: "quantitative" },
        y: { field: "y", type: "quantitative" },
      },
    };

    const first = await figureToSvg(clippedSpec);
    const second = await figureToSvg(clippedSpec);

    expect(first).toContain('clip-path="url(#clip1)"');
    expect(second).toBe(first);
  });
});
