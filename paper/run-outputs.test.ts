import { access, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { UserInputError } from "../framework/runtime/user-input-error.js";
import { writeFixtureRun } from "./fixture-run.js";
import { figureNames, writeRunOutputs } from "./run-outputs.js";

let runDir: string;

beforeEach(async () => {
  runDir = await mkdtemp(join(tmpdir(), "paper-run-"));
  await writeFixtureRun(runDir);
});

afterEach(async () => {
  await rm(runDir, { recursive: true, force: true });
});

describe("writeRunOutputs", () => {
  it("writes both tables and every figure", async () => {
    const outputs = await writeRunOutputs(runDir);

    const expectedNames = ["table.md", "table.tex"];
    for (const name of Object.values(figureNames)) {
      expectedNames.push(`${name}.vl.json`, `${name}.svg`, `${name}.png`);
    }
    expect(outputs.writtenPaths).toEqual(expectedNames.map((name) => join(runDir, name)));
    for (const path of outputs.writtenPaths) {
      await expect(access(path)).resolves.toBeUndefined();
    }
  });

  it("prints detection metrics that were not measured as n/a", async () => {
    await writeRunOutputs(runDir, { includesFigures: false });
    const markdown = await readFile(join(runDir, "table.md"), "utf8");

    expect(markdown).toContain("| static-peak | aws | 4.2000 |");
    expect(markdown).toContain("| 360000 | 12 | n/a | n/a |");
  });

  it("prints a measured zero as zero", async () => {
    await writeRunOutputs(runDir, { includesFigures: false });
    const markdown = await readFile(join(runDir, "table.md"), "utf8");

    expect(markdown).toContain("| 0.910 | 0.000 |");
  });

  it("captions the LaTeX table with the scenario and SLA", async () => {
    await writeRunOutputs(runDir, { includesFigures: false });
    const latex = await readFile(join(runDir, "table.tex"), "utf8");

    expect(latex).toContain(
      "\\caption{Results of scenario smartcity (seed 7) against a p95 latency target of 2000 ms.}",
    );
  });

  it("returns the summary as a terminal table", async () => {
    const outputs = await writeRunOutputs(runDir, { includesFigures: false });

    expect(outputs.terminalTable.split("\n")[0]).toMatch(/^Policy\s+Provider\s+Cost \(USD\)/);
  });

  it("rejects a missing directory with its path", async () => {
    const missingDir = join(runDir, "absent");

    await expect(writeRunOutputs(missingDir)).rejects.toThrow(
      `results directory "${missingDir}" not found`,
    );
  });

  it("rejects a missing summary file with its path", async () => {
    await rm(join(runDir, "summary.csv"));

    await expect(writeRunOutputs(runDir)).rejects.toThrow(
      `file "${join(runDir, "summary.csv")}" not found`,
    );
  });

  it("rejects a summary without a required column", async () => {
    await writeFile(join(runDir, "summary.csv"), "policy,provider\ndqn,aws\n", "utf8");

    await expect(writeRunOutputs(runDir)).rejects.toThrow(/is missing columns cost_usd, /);
  });

  it("rejects text in a numeric column", async () => {
    const path = join(runDir, "latency-cdf.csv");
    await writeFile(path, "policy,latency_ms,cumulative_share\ndqn,fast,1\n", "utf8");

    await expect(writeRunOutputs(runDir)).rejects.toThrow(
      `invalid value "fast" in column "latency_ms" of "${path}" row 1: expected a number`,
    );
  });

  it("rejects a config without an SLA", async () => {
    const path = join(runDir, "config.json");
    await writeFile(path, '{"scenario":"x","seed":1}', "utf8");

    await expect(writeRunOutputs(runDir)).rejects.toThrow(
      `invalid config "${path}": sla must be an object`,
    );
  });

  it("rejects a config that is not JSON", async () => {
    await writeFile(join(runDir, "config.json"), "{scenario", "utf8");

    await expect(writeRunOutputs(runDir)).rejects.toThrow(UserInputError);
  });
});
