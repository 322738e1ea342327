import { execFile } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { resolvePolicies } from "../baselines/registry.js";
import { getScenario } from "../scenarios/registry.js";
import { runId, writeRunFiles } from "../scenarios/results.js";
import { runScenario } from "../scenarios/run-scenario.js";
import { repoRoot } from "../scenarios/trace-paths.js";
import { generatorSource } from "../scenarios/workload-source.js";

const POLICIES = ["static-peak", "threshold", "spark-dynamic", "predictive"];
const SMALL_RUN = ["--scenario", "smartcity", "--duration", "2h", "--devices", "300"];

/** Runs a small smartcity simulation in this process and returns its run directory. */
async function runInProcess(seed: number): Promise<string> {
  const config = getScenario("smartcity");
  config.durationUs = 2 * 3_600_000_000;
  config.devices = 300;
  config.seed = seed;
  const run = await runScenario(config, generatorSource(config), resolvePolicies(POLICIES));
  const dir = join(await mkdtemp(join(tmpdir(), "repro-")), runId(run, POLICIES));
  await writeRunFiles(run, dir, POLICIES);
  return dir;
}

/** Runs the same small simulation through the CLI in a child process. */
async function runInChild(outDir: string): Promise<string> {
  const args = [
    ...SMALL_RUN,
    "--policy",
    POLICIES.join(","),
    "--seed",
    "7",
    "--out",
    outDir,
    "--no-figures",
  ];
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "cli/sim.ts", ...args],
    {
      cwd: repoRoot,
    },
  );
  const match = /results: (.+)$/m.exec(stdout);
  if (match === null) throw new Error(`no results line in output: ${stdout}`);
  return match[1].trim();
}

const read = (dir: string, file: string) => readFile(join(dir, file), "utf8");

describe("reproducibility", () => {
  it("writes byte-identical results for one seed within a process", async () => {
    const first = await runInProcess(7);
    const second = await runInProcess(7);
    expect(await read(second, "summary.csv")).toBe(await read(first, "summary.csv"));
    expect(await read(second, "timeseries.csv")).toBe(await read(first, "timeseries.csv"));
  });

  it("writes byte-identical results for one seed across processes", async () => {
    const first = await runInChild(await mkdtemp(join(tmpdir(), "repro-a-")));
    const second = await runInChild(await mkdtemp(join(tmpdir(), "repro-b-")));
    expect(await read(second, "summary.csv")).toBe(await read(first, "summary.csv"));
    expect(await read(second, "timeseries.csv")).toBe(await read(first, "timeseries.csv"));
    const inProcess = await runInProcess(7);
    expect(await read(inProcess, "summary.csv")).toBe(await read(first, "summary.csv"));
  });

  it("writes different results for a different seed", async () => {
    const first = await runInProcess(7);
    const other = await runInProcess(8);
    expect(await read(other, "timeseries.csv")).not.toBe(await read(first, "timeseries.csv"));
  });
});
