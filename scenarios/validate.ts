/**
 * Checks a resolved scenario configuration, gathering every problem with its path so a user
 * fixes a config file in one pass.
 */
import { IANAZone } from "luxon";
import { isProviderId, providerIds } from "../framework/cloud/providers.js";
import { validatePipelineSpec } from "../framework/processing/pipeline-spec.js";
import { PIPELINE_OPERATORS } from "../framework/processing/pipeline.js";
import { UserInputError } from "../framework/runtime/user-input-error.js";
import type { LinkConfig } from "../sim/network.js";
import type { ScenarioConfig, SyncScenarioConfig } from "./scenario.js";

/** Throws one UserInputError listing every problem of `config`, or returns it unchanged. */
export function validateScenario(config: ScenarioConfig): ScenarioConfig {
  const issues: string[] = [];
  const check = (isValid: boolean, path: string, value: unknown, expected: string): void => {
    if (!isValid) issues.push(`${path} is ${JSON.stringify(value)}: expected ${expected}`);
  };
  const positiveInteger = (path: string, value: number): void =>
    check(Number.isSafeInteger(value) && value > 0, path, value, "a positive integer");
  const nonNegativeInteger = (path: string, value: number): void =>
    check(Number.isSafeInteger(value) && value >= 0, path, value, "an integer of at least 0");

  positiveInteger("durationUs", config.durationUs);
  positiveInteger("devices", config.devices);
  check(
    Number.isSafeInteger(config.seed) && config.seed >= 0 && config.seed < 2 ** 32,
    "seed",
    config.seed,
    "an integer in [0, 4294967295]",
  );
  check(
    isProviderId(config.provider),
    "provider",
    config.provider,
    `one of ${providerIds.join(", ")}`,
  );
  check(
    IANAZone.isValidZone(config.timeZone),
    "timeZone",
    config.timeZone,
    "an IANA time zone such as Europe/Rome",
  );
  check(
    config.speed > 0 && Number.isFinite(config.speed),
    "speed",
    config.speed,
    "a positive number",
  );
  nonNegativeInteger("fanOutSpreadUs", config.fanOutSpreadUs);
  nonNegativeInteger("fanOutJitterUs", config.fanOutJitterUs);
  nonNegativeInteger("reorderWindowUs", config.reorderWindowUs);
  positiveInteger("decisionIntervalUs", config.decisionIntervalUs);
  positiveInteger("reportIntervalUs", config.reportIntervalUs);
  nonNegativeInteger("drainLimitUs", config.drainLimitUs);

  // SLA
  check(
    config.sla.latencyTargetMs > 0,
    "sla.latencyTargetMs",
    config.sla.latencyTargetMs,
    "a positive number",
  );
  check(
    config.sla.percentile > 0 && config.sla.percentile < 100,
    "sla.percentile",
    config.sla.percentile,
    "a number in (0, 100)",
  );

  // Executors
  const executors = config.executors;
  if (executors.cores !== null) positiveInteger("executors.cores", executors.cores);
  if (executors.memoryGb !== null) {
    check(executors.memoryGb > 0, "executors.memoryGb", executors.memoryGb, "a positive number");
  }
  nonNegativeInteger("executors.minExecutors", executors.minExecutors);
  positiveInteger("executors.maxExecutors", executors.maxExecutors);
  check(
    executors.minExecutors <= executors.initialExecutors &&
      executors.initialExecutors <= executors.maxExecutors,
    "executors.initialExecutors",
    executors.initialExecutors,
    `a count between minExecutors (${executors.minExecutors}) and maxExecutors (${executors.maxExecutors})`,
  );
  if (executors.coldStartUs !== null)
    nonNegativeInteger("executors.coldStartUs", executors.coldStartUs);

  // Engine model
  const spark = config.spark;
  positiveInteger("spark.triggerIntervalUs", spark.triggerIntervalUs);
  nonNegativeInteger("spark.batchOverheadUs", spark.batchOverheadUs);
  nonNegativeInteger("spark.taskOverheadUs", spark.taskOverheadUs);
  positiveInteger("spark.inputPartitions", spark.inputPartitions);
  positiveInteger("spark.shufflePartitions", spark.shufflePartitions);
  nonNegativeInteger("spark.sinkWriteUs", spark.sinkWriteUs);
  positiveInteger("spark.shuffle.fetchConcurrency", spark.shuffle.fetchConcurrency);
  check(
    spark.shuffle.throughputMbPerSec > 0,
    "spark.shuffle.throughputMbPerSec",
    spark.shuffle.throughputMbPerSec,
    "a positive number",
  );
  const operators = new Set<string>(PIPELINE_OPERATORS);
  for (const stage of ["mapOperatorCostUs", "reduceOperatorCostUs"] as const) {
    for (const [name, cost] of Object.entries(spark[stage])) {
      check(
        operators.has(name),
        `spark.${stage}.${name}`,
        name,
        `an operator, one of ${PIPELINE_OPERATORS.join(", ")}`,
      );
      check(cost >= 0, `spark.${stage}.${name}`, cost, "a cost of at least 0 µs");
    }
  }

  // Topology
  positiveInteger("topology.edgeNodes", config.topology.edgeNodes);
  nonNegativeInteger("topology.edgeProcessingUs", config.topology.edgeProcessingUs);
  check(
    config.topology.recordBytes >= 0,
    "topology.recordBytes",
    config.topology.recordBytes,
    "a size of at least 0 bytes",
  );
  for (const linkName of ["deviceLink", "uplink"] as const) {
    issues.push(...linkIssues(`topology.${linkName}`, config.topology[linkName]));
  }

  // Traces and pipeline
  check(config.traces.length > 0, "traces", config.traces, "at least one trace source");
  const shareSum = config.traces.reduce((sum, trace) => sum + trace.deviceShare, 0);
  check(Math.abs(shareSum - 1) < 1e-9, "traces[].deviceShare", shareSum, "shares summing to 1");
  try {
    validatePipelineSpec(config.pipeline);
  } catch (error) {
    issues.push((error as Error).message.replace(/^invalid pipeline spec: /, "pipeline: "));
  }

  issues.push(...syncIssues(config));

  if (issues.length > 0) {
    throw new UserInputError(`invalid scenario "${config.name}": ${issues.join("; ")}`);
  }
  return config;
}

function syncIssues(config: ScenarioConfig): string[] {
  const sync = config.sync;
  const issues: string[] = [];
  const check = (isValid: boolean, field: string, value: unknown, expected: string): void => {
    if (!isValid) issues.push(`sync.${field} is ${JSON.stringify(value)}: expected ${expected}`);
  };
  const integerAtLeast = (field: keyof SyncScenarioConfig, minimum: number): void => {
    const value = sync[field] as number;
    const expected = minimum === 0 ? "an integer of at least 0" : "a positive integer";
    check(Number.isSafeInteger(value) && value >= minimum, field, value, expected);
  };
  const numberAtLeast = (field: keyof SyncScenarioConfig, minimum: number): void => {
    const value = sync[field] as number;
    check(
      Number.isFinite(value) && value >= minimum,
      field,
      value,
      `a number of at least ${minimum}`,
    );
  };

  integerAtLeast("durationUs", 1);
  integerAtLeast("drainUs", 0);
  integerAtLeast("retryUs", 1);
  integerAtLeast("lwwPushIntervalUs", 0);
  integerAtLeast("pollIntervalUs", 1);
  integerAtLeast("configDevices", 1);
  integerAtLeast("devicesPerPanel", 1);
  integerAtLeast("panelsPerSession", 1);
  integerAtLeast("sampleIntervalUs", 1);
  integerAtLeast("prefetchTtlUs", 1);
  integerAtLeast("prefetchDepth", 0);
  numberAtLeast("edgeConfigWritesPerHour", 0);
  numberAtLeast("cloudConfigWritesPerHour", 0);
  numberAtLeast("readsPerSec", 0);
  numberAtLeast("alertZScore", 0);
  check(
    sync.routeProbability >= 0 && sync.routeProbability <= 1,
    "routeProbability",
    sync.routeProbability,
    "a probability in [0, 1]",
  );
  check(
    Number.isSafeInteger(sync.partitionedEdges) &&
      sync.partitionedEdges >= 0 &&
      sync.partitionedEdges <= config.topology.edgeNodes,
    "partitionedEdges",
    sync.partitionedEdges,
    `an integer in [0, ${config.topology.edgeNodes}] (topology.edgeNodes)`,
  );
  sync.partitions.forEach((partition, i) => {
    check(
      Number.isSafeInteger(partition.fromUs) && partition.fromUs >= 0,
      `partitions[${i}].fromUs`,
      partition.fromUs,
      "an integer of at least 0",
    );
    check(
      Number.isSafeInteger(partition.toUs) && partition.toUs > partition.fromUs,
      `partitions[${i}].toUs`,
      partition.toUs,
      `an integer after its start ${partition.fromUs}`,
    );
  });
  return issues;
}

function linkIssues(path: string, link: LinkConfig): string[] {
  const issues: string[] = [];
  if (!(link.latencyMedianUs >= 0))
    issues.push(`${path}.latencyMedianUs is ${link.latencyMedianUs}: expected at least 0`);
  if (!(link.latencySigma >= 0))
    issues.push(`${path}.latencySigma is ${link.latencySigma}: expected at least 0`);
  if (!(link.bandwidthMbps > 0))
    issues.push(`${path}.bandwidthMbps is ${link.bandwidthMbps}: expected a positive number`);
  if (!(link.lossRate >= 0 && link.lossRate < 1))
    issues.push(`${path}.lossRate is ${link.lossRate}: expected a number in [0, 1)`);
  link.partitions.forEach((partition, i) => {
    if (!(partition.toUs > partition.fromUs)) {
      issues.push(
        `${path}.partitions[${i}] ends at ${partition.toUs}: expected after its start ${partition.fromUs}`,
      );
    }
  });
  return issues;
}
