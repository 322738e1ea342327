import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../scenarios/trace-paths.js";

const run = promisify(execFile);

/** Runs the sim CLI and returns its exit code and stderr. */
async function sim(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    const result = await run(
      process.execPath,
      ["--import", "tsx", join(repoRoot, "cli", "sim.ts"), ...args],
      {
        cwd: repoRoot,
      },
    );
    return { code: 0, stderr: result.stderr };
  } catch (error) {
    const failure = error as { code: number; stderr: string };
    return { code: failure.code, stderr: failure.stderr };
  }
}

const badInputs: [string, string[], string][] = [
  [
    "unknown scenario",
    ["--scenario", "smartcty"],
    'error: unknown scenario "smartcty": expected one of agriculture, healthcare, industry, smartcity',
  ],
  [
    "unknown policy",
    ["--scenario", "smartcity", "--policy", "static-peak,magic"],
    'error: unknown policy "magic": expected one of static-peak, static-mean, threshold, spark-dynamic, predictive, oracle',
  ],
  [
    "unknown provider",
    ["--scenario", "smartcity", "--provider", "ibm"],
    'error: unknown provider "ibm": expected one of aws, azure, gcp',
  ],
  [
    "zero duration",
    ["--scenario", "smartcity", "--duration", "0h"],
    'error: invalid --duration "0h": expected a positive duration such as 500ms, 90s, 30m, 24h or 2d',
  ],
  [
    "negative duration",
    ["--scenario", "smartcity", "--duration", "-5h"],
    'error: invalid --duration "-5h": expected a positive duration such as 500ms, 90s, 30m, 24h or 2d',
  ],
  [
    "missing trace",
    ["--scenario", "smartcity", "--trace", "no-such-trace.csv"],
    'error: trace "no-such-trace.csv" not found: pass an existing CSV file',
  ],
  [
    "unknown flag",
    ["--scenario", "smartcity", "--bogus", "1"],
    "error: unknown argument: bogus: run with --help for the options",
  ],
  [
    "non-numeric device count",
    ["--scenario", "smartcity", "--devices", "many"],
    'error: invalid --devices "many": expected a positive integer',
  ],
];

describe("sim CLI input errors", () => {
  for (const [name, args, expected] of badInputs) {
    it(`reports ${name} on one line`, async () => {
      const { code, stderr } = await sim(args);
      expect(stderr.trimEnd()).toBe(expected);
      expect(code).toBe(2);
    });
  }

  it("reports a descriptor that does not match the trace header", async () => {
    const fixture = join(repoRoot, "test", "fixtures", "two-columns.csv");
    const descriptor = join(
      repoRoot,
      "scenarios",
      "descriptors",
      "smartcity",
      "nab-traffic-speed-7578.json",
    );
    const { code, stderr } = await sim([
      "--scenario",
      "smartcity",
      "--trace",
      fixture,
      "--descriptor",
      descriptor,
    ]);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain(
      'columns "timestamp", "value" not found; the header has "when", "reading"',
    );
    expect(code).toBe(2);
  });
});
