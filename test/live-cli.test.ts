import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../scenarios/trace-paths.js";

const run = promisify(execFile);

/** Runs a CLI script under tsx and returns its exit code, stdout and stderr. */
async function cli(
  script: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const result = await run(
      process.execPath,
      ["--import", "tsx", join(repoRoot, "cli", script), ...args],
      {
        cwd: repoRoot,
        timeout: 120_000,
      },
    );
    return { code: 0, stdout: result.stdout, stderr: result.stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

const badInputs: [string, string, string[], string][] = [
  [
    "unknown scenario",
    "live.ts",
    ["--scenario", "smartcty"],
    'error: unknown scenario "smartcty": expected one of agriculture, healthcare, industry, smartcity',
  ],
  [
    "invalid QoS",
    "live.ts",
    ["--scenario", "smartcity", "--qos", "2"],
    'error: invalid --qos "2": expected 0 or 1',
  ],
  [
    "invalid MQTT URL",
    "live.ts",
    ["--scenario", "smartcity", "--mqtt", "http://127.0.0.1:1883"],
    'error: invalid --mqtt "http://127.0.0.1:1883": expected the mqtt:// or tcp:// scheme',
  ],
  [
    "invalid Kafka broker",
    "live.ts",
    ["--scenario", "smartcity", "--kafka", "localhost"],
    'error: invalid --kafka broker "localhost": expected HOST:PORT',
  ],
  [
    "zero speed",
    "live.ts",
    ["--scenario", "smartcity", "--speed", "0"],
    'error: invalid --speed "0": expected a positive number',
  ],
  [
    "missing network profile",
    "sim.ts",
    ["--scenario", "smartcity", "--network-profile", "no-such-profile.json"],
    'error: network profile "no-such-profile.json" not found: run npm run calibrate first',
  ],
  [
    "network load without profile",
    "sim.ts",
    ["--scenario", "smartcity", "--network-load", "100"],
    "error: --network-load needs --network-profile FILE: pass the profile it selects from",
  ],
];

describe("live CLI errors", () => {
  it.each(badInputs)("%s", async (_name, script, args, message) => {
    const { code, stderr } = await cli(script, args);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(message);
  });
});

describe("live CLI run", () => {
  it("writes the results files of a live run", async () => {
    const out = mkdtempSync(join(tmpdir(), "live-cli-"));
    const { code, stdout, stderr } = await cli("live.ts", [
      "--scenario",
      "smartcity",
      "--duration",
      "3s",
      "--speed",
      "600",
      "--port",
      "0",
      "--corrupt-every",
      "50",
      "--no-figures",
      "--out",
      out,
    ]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("Dead-lettered");

    const [runDir] = readdirSync(out);
    const files = readdirSync(join(out, runDir)).sort();
    expect(files).toEqual([
      "config.json",
      "latency-cdf.csv",
      "live-summary.csv",
      "live-table.md",
      "summary.csv",
      "table.md",
      "table.tex",
      "timeseries.csv",
    ]);
    const config = JSON.parse(readFileSync(join(out, runDir, "config.json"), "utf8"));
    expect(config.mode).toBe("live");
    const [header, row] = readFileSync(join(out, runDir, "live-summary.csv"), "utf8")
      .trim()
      .split("\n");
    const cells = Object.fromEntries(header.split(",").map((name, i) => [name, row.split(",")[i]]));
    expect(Number(cells.records_sent)).toBeGreaterThan(0);
    expect(Number(cells.records_dead_lettered)).toBeGreaterThan(0);
    expect(Number(cells.records_processed) + Number(cells.records_dead_lettered)).toBe(
      Number(cells.records_sent),
    );
    expect(cells.records_lost).toBe("0");
  }, 120_000);
});
