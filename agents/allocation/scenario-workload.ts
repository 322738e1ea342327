/**
 * Builds the workload and engine settings of a scenario for training, with the same code
 * path as `npm run sim`: the calibrated generator or a trace, the network model, the
 * scenario's engine settings under its provider.
 */
import { getProvider } from "../../framework/cloud/providers.js";
import { RandomStreams } from "../../sim/random.js";
import type { RunSettings } from "../../sim/run.js";
import type { Workload } from "../../sim/workload.js";
import { runSettings } from "../../scenarios/run-scenario.js";
import type { ScenarioConfig } from "../../scenarios/scenario.js";
import { buildWorkload } from "../../scenarios/workload-builder.js";
import type { WorkloadSource } from "../../scenarios/workload-source.js";

/** Returns the scenario's workload, built from `source` with the scenario's seed. */
export async function scenarioWorkload(
  config: ScenarioConfig,
  source: WorkloadSource,
): Promise<{ workload: Workload; settings: RunSettings }> {
  const streams = new RandomStreams(config.seed);
  const { workload } = await buildWorkload(config, source.records(streams), streams);
  const settings = runSettings(config, getProvider(config.provider), workload.epochUs);
  return { workload, settings };
}
