/**
 * Rendering of a Vega-Lite figure to a specification file, an SVG and a PNG. Text is drawn with
 * the DejaVu Sans files of the `dejavu-fonts-ttf` package rather than system fonts, so a figure
 * looks the same on every machine.
 */
import { writeFile } from "node:fs/promises";
import { createRequire } from "node:module";

import { Resvg } from "@resvg/resvg-js";
import { parse, resetSVGDefIds, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/** Font family of all text in the figures. */
export const figureFontFamily = "DejaVu Sans";

/** PNG pixels per SVG pixel. At 2, text stays sharp in print. */
export const pngZoom = 2;

const require = createRequire(import.meta.url);

/** Paths of the DejaVu Sans regular and bold TrueType files. Axis and legend titles are bold. */
export const figureFontFiles: readonly string[] = [
  require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"),
  require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf"),
];

/** Paths of the files that `renderFigure` writes. */
export interface RenderedFigure {
  readonly specPath: string;
  readonly svgPath: string;
  readonly pngPath: string;
}

/**
 * Compiles a Vega-Lite specification to SVG with a headless Vega view. SVG ids restart from
 * the same values on every call, so the same specification gives byte-identical SVG.
 */
export async function figureToSvg(spec: TopLevelSpec): Promise<string> {
  // Vega tags the data objects it ingests, so it gets a copy and the caller's rows stay as
  // they were.
  const vegaSpec = compile(structuredClone(spec)).spec;

  // Vega numbers clip paths and gradients from module-level counters.
  resetSVGDefIds();
  const view = new View(parse(vegaSpec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterizes an SVG to PNG with resvg, using only the bundled DejaVu Sans font files. */
export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    font: {
      loadSystemFonts: false,
      fontFiles: [...figureFontFiles],
      defaultFontFamily: figureFontFamily,
    },
    fitTo: { mode: "zoom", value: pngZoom },
  });
  return resvg.render().asPng();
}

/**
 * Writes `basePath.vl.json` (the Vega-Lite specification), `basePath.svg` and `basePath.png`,
 * and returns their paths.
 */
export async function renderFigure(spec: TopLevelSpec, basePath: string): Promise<RenderedFigure> {
  const figure = {
    specPath: `${basePath}.vl.json`,
    svgPath: `${basePath}.svg`,
    pngPath: `${basePath}.png`,
  };
  const svg = await figureToSvg(spec);

  await writeFile(figure.specPath, JSON.stringify(spec, null, 2) + "\n", "utf8");
  await writeFile(figure.svgPath, svg, "utf8");
  await writeFile(figure.pngPath, svgToPng(svg));
  return figure;
}
