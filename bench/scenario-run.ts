/**
 * Runs one scenario with every baseline in this process and prints one JSON line with the wall
 * time, peak resident memory and record count; bench/cli.ts starts it once per measurement so
 * each peak-memory figure belongs to one run.
 */
import { resolvePolicies, baselines } from "../baselines/registry.js";
import { getScenario } from "../scenarios/registry.js";
import { runScenario } from "../scenarios/run-scenario.js";
import { generatorSource } from "../scenarios/workload-source.js";

const [name, devicesText] = process.argv.slice(2);
const config = getScenario(name);
if (devicesText !== undefined) config.devices = Number(devicesText);

const startMs = performance.now();
const run = await runScenario(
  config,
  generatorSource(config),
  resolvePolicies([...baselines.keys()]),
);
const wallMs = performance.now() - startMs;
const events = run.outcomes.reduce((sum, outcome) => sum + outcome.events, 0);
process.stdout.write(
  `${JSON.stringify({
    scenario: name,
    devices: config.devices,
    records: run.workload.records.length,
    policies: run.outcomes.length,
    wallMs: Math.round(wallMs),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    kernelEvents: events,
  })}\n`,
);
