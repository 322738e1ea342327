/**
 * `npm run bench [-- SUITE ...]`: runs the named benchmark suites, or all of them, each printing
 * its figures to stdout. bench/README.md records the figures per machine.
 */
import { cpus } from "node:os";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "../scenarios/trace-paths.js";

/** Suites by name: each module exports `runBenchmark(): Promise<void>`, printing its figures. */
const suites: Record<string, string> = {
  kernel: "kernel-bench.ts",
  processing: "processing.ts",
  scenarios: "scenarios-bench.ts",
  rl: "rl-bench.ts",
  sync: "sync-bench.ts",
  ingest: "ingest-bench.ts",
};

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in suites));
if (unknown.length > 0) {
  process.stderr.write(
    `error: unknown benchmark "${unknown[0]}": expected one of ${Object.keys(suites).join(", ")}\n`,
  );
  process.exit(2);
}

process.stdout.write(
  `machine: ${cpus()[0]?.model ?? "unknown"}, ${cpus().length} cores, node ${process.version}\n\n`,
);
for (const name of requested.length > 0 ? requested : Object.keys(suites)) {
  const path = join(repoRoot, "bench", suites[name]);
  if (!existsSync(path)) {
    process.stdout.write(`${name}: not available in this checkout (${suites[name]} missing)\n\n`);
    continue;
  }
  const suite = (await import(pathToFileURL(path).href)) as { runBenchmark: () => Promise<void> };
  await suite.runBenchmark();
  process.stdout.write("\n");
}
