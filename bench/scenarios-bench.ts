/**
 * Wall time and peak memory of each scenario's full run (every baseline, calibrated generator)
 * at its default device count and at ten times it. Each run is its own child process so each
 * peak-memory figure belongs to one run.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { scenarios } from "../scenarios/registry.js";
import { repoRoot } from "../scenarios/trace-paths.js";

interface ScenarioRunFigures {
  records: number;
  policies: number;
  wallMs: number;
  peakRssMb: number;
}

function measure(name: string, devices: number): ScenarioRunFigures {
  const script = join(repoRoot, "bench", "scenario-run.ts");
  const output = execFileSync(
    process.execPath,
    ["--import", "tsx", script, name, String(devices)],
    {
      cwd: repoRoot,
      encoding: "utf8",
    },
  );
  return JSON.parse(output.trim().split("\n").pop() ?? "{}") as ScenarioRunFigures;
}

/** Prints, per scenario and size, records, wall time, peak RSS and time per record. */
export async function runBenchmark(): Promise<void> {
  process.stdout.write("scenarios, all baselines, calibrated generator\n");
  for (const config of scenarios.values()) {
    const microsPerRecord: number[] = [];
    for (const factor of [1, 10]) {
      const devices = config.devices * factor;
      const figures = measure(config.name, devices);
      const perRecordUs = (figures.wallMs * 1000) / figures.records / figures.policies;
      microsPerRecord.push(perRecordUs);
      process.stdout.write(
        `  ${config.name.padEnd(12)} devices ${String(devices).padStart(6)}: ` +
          `${String(figures.records).padStart(8)} records, ${(figures.wallMs / 1000).toFixed(2)} s, ` +
          `peak RSS ${figures.peakRssMb} MB, ${perRecordUs.toFixed(2)} µs per record per policy\n`,
      );
    }
    const ratio = microsPerRecord[1] / microsPerRecord[0];
    process.stdout.write(`  ${"".padEnd(12)} time per record, 10x over 1x: ${ratio.toFixed(2)}\n`);
  }
}
