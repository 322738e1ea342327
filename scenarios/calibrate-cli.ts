/**
 * `npm run calibrate-generators`: recomputes every scenario's generator calibration from the real traces
 * and writes scenarios/calibration/<scenario>.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DateTime } from "luxon";
import { readTrace } from "../framework/ingestion/reader.js";
import { ReplayStats } from "../framework/ingestion/replay-stats.js";
import { calibrate, type KindCalibration } from "./calibration.js";
import { calibrationPath, type CalibrationFile } from "./calibration-file.js";
import { scenarios } from "./registry.js";
import type { ScenarioConfig } from "./scenario.js";
import { findTracesRoot, repoPath } from "./trace-paths.js";
import { descriptorZone, readDescriptorFile, sha256Of } from "./workload-source.js";

/** Computes a scenario's calibration from the traces under `tracesRoot`. */
export async function calibrateScenario(
  config: ScenarioConfig,
  tracesRoot: string,
): Promise<CalibrationFile> {
  const kinds: KindCalibration[] = [];
  let firstUs: number | null = null;
  for (const trace of config.traces) {
    const path = join(tracesRoot, trace.file);
    const descriptor = readDescriptorFile(repoPath(trace.descriptor));
    const zone = descriptorZone(descriptor);
    const records = readTrace(path, descriptor, { skipBadRows: false, stats: new ReplayStats() });
    const calibration = await calibrate(
      trace.kind,
      { file: trace.file, sha256: sha256Of(path) },
      zone,
      tap(records, (us) => {
        if (kinds.length === 0) firstUs = firstUs === null ? us : Math.min(firstUs, us);
      }),
    );
    kinds.push(calibration);
  }

  // Generated workloads start at local midnight of the first trace's first day.
  const zone = kinds[0].timeZone;
  const startUs =
    DateTime.fromMillis(Math.floor((firstUs ?? 0) / 1000), { zone })
      .startOf("day")
      .toMillis() * 1000;
  return { scenario: config.name, startUs, kinds };
}

async function* tap<T extends { eventTimeUs: number }>(
  source: AsyncIterable<T>,
  onRecord: (eventTimeUs: number) => void,
): AsyncGenerator<T> {
  for await (const record of source) {
    onRecord(record.eventTimeUs);
    yield record;
  }
}

async function main(): Promise<void> {
  const tracesRoot = findTracesRoot();
  if (tracesRoot === null) {
    process.stderr.write(
      "traces folder not found: set TRACES_DIR or place traces in ../shared/traces\n",
    );
    process.exit(1);
  }
  for (const config of scenarios.values()) {
    const file = await calibrateScenario(config, tracesRoot);
    const path = calibrationPath(config.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
    process.stderr.write(`wrote ${path}\n`);
  }
}

if (
  process.argv[1] !== undefined &&
  import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "")
) {
  await main();
}
