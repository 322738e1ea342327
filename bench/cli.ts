/**
 * `npm run bench [-- kernel|scenarios]`: prints the kernel's hold-model throughput and, per
 * scenario, the wall time and peak memory of a full run (every baseline) at the default device
 * count and at ten times it. Figures go to stdout; bench/README.md records them per machine.
 */
import { execFileSync } from "node:child_process";
import { cpus } from "node:os";
import { join } from "node:path";
import { scenarios } from "../scenarios/registry.js";
import { repoRoot } from "../scenarios/trace-paths.js";
import { runHoldModel } from "./hold-model.js";

const suites = process.argv.slice(2);
const wants = (suite: string): boolean => suites.length === 0 || suites.includes(suite);

process.stdout.write(
  `machine: ${cpus()[0]?.model ?? "unknown"}, ${cpus().length} cores, node ${process.version}\n\n`,
);

if (wants("kernel")) {
  runHoldModel(1_000, 1_000_000); // warm-up so the JIT has compiled the queue
  process.stdout.write("kernel hold model (events per second, one core)\n");
  for (const pending of [100, 1_000, 10_000, 100_000]) {
    const result = runHoldModel(pending, 5_000_000);
    process.stdout.write(
      `  pending ${String(pending).padStart(7)}: ${(result.eventsPerSec / 1e6).toFixed(2)} M events/s ` +
        `(${result.events} events in ${result.wallMs.toFixed(0)} ms)\n`,
    );
  }
  process.stdout.write("\n");
}

if (wants("scenarios")) {
  process.stdout.write("scenarios, all baselines, calibrated generator\n");
  for (const config of scenarios.values()) {
    const perRecord: number[] = [];
    for (const factor of [1, 10]) {
      const devices = config.devices * factor;
      const line = execFileSync(
        process.execPath,
        [
          "--import",
          "tsx",
          join(repoRoot, "bench", "scenario-run.ts"),
          config.name,
          String(devices),
        ],
        { cwd: repoRoot, encoding: "utf8", maxBuffer: 1 << 20 },
      );
      const result = JSON.parse(line.trim().split("\n").pop() ?? "{}");
      perRecord.push(result.wallMs / result.records);
      process.stdout.write(
        `  ${config.name.padEnd(12)} devices ${String(devices).padStart(6)}: ${String(result.records).padStart(8)} records, ` +
          `${(result.wallMs / 1000).toFixed(2)} s, peak RSS ${result.peakRssMb} MB, ` +
          `${((result.wallMs * 1000) / result.records / result.policies).toFixed(2)} µs per record per policy\n`,
      );
    }
    process.stdout.write(
      `  ${"".padEnd(12)} time per record at 10x / 1x: ${(perRecord[1] / perRecord[0]).toFixed(2)}\n`,
    );
  }
}
