import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../scenarios/trace-paths.js";
import { readCsvRows } from "./live-fixtures.js";
import { describeWithTraces } from "./traces-available.js";

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
    "unknown comparison policy",
    "live.ts",
    ["--scenario", "smartcity", "--sim-policy", "static-peek"],
    'error: unknown policy "static-peek": expected one of static-peak, static-mean, threshold, spark-dynamic, predictive, oracle',
  ],
  [
    "empty comparison policy list",
    "live.ts",
    ["--scenario", "smartcity", "--sim-policy", ""],
    'error: invalid --sim-policy "": expected one or more allocators, such as static-peak',
  ],
  [
    "trace that is a folder",
    "live.ts",
    ["--scenario", "smartcity", "--trace", "scenarios"],
    'error: trace "scenarios" is not a file: pass a CSV file',
  ],
  [
    "network load without profile in a live run",
    "live.ts",
    ["--scenario", "smartcity", "--network-load", "100", "--duration", "1s", "--no-dashboard"],
    "error: --network-load needs --network-profile FILE: pass the profile it selects from",
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
      "comparison.csv",
      "comparison.md",
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
    const [cells] = readCsvRows(join(out, runDir, "live-summary.csv"));
    expect(Number(cells.records_sent)).toBeGreaterThan(0);
    expect(Number(cells.records_dead_lettered)).toBeGreaterThan(0);
    expect(Number(cells.records_processed) + Number(cells.records_dead_lettered)).toBe(
      Number(cells.records_sent),
    );
    expect(cells.records_lost).toBe("0");
  }, 120_000);
});

describeWithTraces("live CLI trace replay", (root) => {
  it("simulates the published records as npm run sim replays the same trace", async () => {
    const trace = join(root, "industry/nab_machine_temperature_system_failure.csv");
    const replay = ["--trace", trace, "--speed", "3600", "--devices", "20", "--duration", "3s"];
    const out = mkdtempSync(join(tmpdir(), "live-trace-"));
    const live = await cli("live.ts", [
      "--scenario",
      "industry",
      ...replay,
      "--port",
      "0",
      "--no-figures",
      "--out",
      join(out, "live"),
    ]);
    expect(live.code, live.stderr).toBe(0);
    expect(live.stdout).toContain("live vs simulated, same records");
    const sim = await cli("sim.ts", [
      "--scenario",
      "industry",
      ...replay,
      "--policy",
      "static-peak",
      "--no-figures",
      "--out",
      join(out, "sim"),
    ]);
    expect(sim.code, sim.stderr).toBe(0);

    const [liveDir] = readdirSync(join(out, "live"));
    const [liveRow, simulatedRow] = readCsvRows(join(out, "live", liveDir, "comparison.csv"));
    expect(liveRow.run).toBe("live");
    expect(simulatedRow).toMatchObject({ run: "simulated", network: "modelled links" });
    expect(Number(liveRow.records)).toBeGreaterThan(100);
    expect(liveRow.records_unfinished).toBe("0");

    // The standalone simulation of the same flags gets the same records and latencies.
    const [simDir] = readdirSync(join(out, "sim"));
    const [summary] = readCsvRows(join(out, "sim", simDir, "summary.csv"));
    expect(summary.records_processed).toBe(liveRow.records);
    expect(Number(summary.latency_p50_ms)).toBeCloseTo(Number(simulatedRow.end_to_end_p50_ms), 3);
    expect(Number(summary.latency_p99_ms)).toBeCloseTo(Number(simulatedRow.end_to_end_p99_ms), 3);

    const config = JSON.parse(readFileSync(join(out, "live", liveDir, "config.json"), "utf8"));
    expect(config.source).toMatchObject({ kind: "trace", fanOutFactor: 20 });
  }, 120_000);
});
