/**
 * One run of a scenario: build the workload once, then replay it under every requested policy
 * with a fresh processing pipeline each, and score anomaly detections against label windows
 * where the trace has them.
 */
import { getProvider, type ProviderProfile } from "../framework/cloud/providers.js";
import type { SensorRecord } from "../framework/ingestion/record.js";
import type { AnomalyEvent } from "../framework/processing/anomaly-detector.js";
import type { DetectionScore, LabelWindow } from "../framework/processing/labels.js";
import { scoreDetections } from "../framework/processing/labels.js";
import { createPipeline, type PipelineStats } from "../framework/processing/pipeline.js";
import { parseVirtualDeviceId, traceTimeUs } from "../framework/ingestion/replay.js";
import type { AllocatorFactory } from "../sim/allocation.js";
import { RandomStreams } from "../sim/random.js";
import { runPolicy, type PolicyResult, type RunSettings } from "../sim/run.js";
import type { Workload } from "../sim/workload.js";
import { utcOffsetUs } from "./generator.js";
import type { ScenarioConfig } from "./scenario.js";
import { areaOf, buildWorkload, type DeliveryStats } from "./workload-builder.js";
import type { WorkloadSource } from "./workload-source.js";

/** Results of one policy, with its processing counters and detection score. */
export interface PolicyOutcome extends PolicyResult {
  pipeline: PipelineStats;
  /** Precision and recall against label windows; null when the input has no labels. */
  detection: DetectionScore | null;
}

/** Everything a scenario run produced. */
export interface ScenarioRun {
  config: ScenarioConfig;
  provider: ProviderProfile;
  workload: Workload;
  source: WorkloadSource;
  delivery: DeliveryStats;
  outcomes: PolicyOutcome[];
}

/** Progress callback: the share of the run done, in [0, 1], and the current step's label. */
export type ProgressListener = (share: number, label: string) => void;

/** Resolves the engine settings of a scenario under its provider. */
export function runSettings(
  config: ScenarioConfig,
  provider: ProviderProfile,
  epochUs: number,
): RunSettings {
  const { executors } = config;
  return {
    provider,
    slaLatencyUs: config.sla.latencyTargetMs * 1_000,
    drainLimitUs: config.drainLimitUs,
    engine: {
      spark: config.spark,
      executors: {
        cores: executors.cores ?? provider.worker.vcpu,
        memoryGb: executors.memoryGb ?? provider.worker.memoryGb,
        minExecutors: Math.max(executors.minExecutors, provider.minWorkers),
        maxExecutors: executors.maxExecutors,
        initialExecutors: Math.max(executors.initialExecutors, provider.minWorkers),
        startsWarm: executors.startsWarm,
        coldStartUs: executors.coldStartUs ?? provider.coldStartUs,
      },
      decisionIntervalUs: config.decisionIntervalUs,
      reportIntervalUs: config.reportIntervalUs,
      utcOffsetHours: utcOffsetUs(config.timeZone, epochUs) / 3_600_000_000,
    },
  };
}

/** Builds the workload from `source` and runs every policy over it. */
export async function runScenario(
  config: ScenarioConfig,
  source: WorkloadSource,
  policies: readonly [string, AllocatorFactory][],
  onProgress: ProgressListener = () => {},
): Promise<ScenarioRun> {
  const streams = new RandomStreams(config.seed);
  const provider = getProvider(config.provider);
  const steps = policies.length + 1;
  onProgress(0, "building workload");
  const { workload, delivery } = await buildWorkload(config, source.records(streams), streams);
  const settings = runSettings(config, provider, workload.epochUs);

  const outcomes: PolicyOutcome[] = [];
  for (const [index, [name, factory]] of policies.entries()) {
    const report = (doneUs: number, totalUs: number) =>
      onProgress((index + 1 + doneUs / Math.max(1, totalUs)) / steps, name);
    report(0, 1);
    outcomes.push(runOnePolicy(config, workload, settings, factory, source, report));
  }
  onProgress(1, "done");
  return { config, provider, workload, source, delivery, outcomes };
}

function runOnePolicy(
  config: ScenarioConfig,
  workload: Workload,
  settings: RunSettings,
  factory: AllocatorFactory,
  source: WorkloadSource,
  onProgress: (doneUs: number, totalUs: number) => void,
): PolicyOutcome {
  const edgeNodes = config.topology.edgeNodes;
  const pipeline = createPipeline(config.pipeline, { areaOf: (id) => areaOf(id, edgeNodes) });
  const anomalies: AnomalyEvent[] = [];
  const processor = {
    processBatch(records: readonly SensorRecord[], processingTimeUs: number): void {
      for (const anomaly of pipeline.processBatch(records, processingTimeUs).anomalies) {
        anomalies.push(anomaly);
      }
    },
  };

  const result = runPolicy(workload, settings, factory, processor, onProgress);
  for (const anomaly of pipeline.finish(workload.epochUs + result.endUs).anomalies) {
    anomalies.push(anomaly);
  }
  return {
    ...result,
    pipeline: pipeline.stats(),
    detection: scoreAgainstLabels(anomalies, source, config, workload),
  };
}

/** Maps detections back to trace time and scores them; null without label windows. */
function scoreAgainstLabels(
  anomalies: readonly AnomalyEvent[],
  source: WorkloadSource,
  config: ScenarioConfig,
  workload: Workload,
): DetectionScore | null {
  const labels = source.labelWindows();
  if (labels === null) return null;

  const fanOut = { devices: config.devices, spanUs: config.fanOutSpreadUs };
  const traceStartUs = source.traceStartUs() ?? workload.epochUs;
  const detectionTimesUs: number[] = [];
  for (const anomaly of anomalies) {
    const copy = parseVirtualDeviceId(anomaly.deviceId)?.copy ?? 0;
    const replayedUs = traceTimeUs(anomaly.eventTimeUs, copy, fanOut);
    detectionTimesUs.push(traceStartUs + Math.round((replayedUs - traceStartUs) * config.speed));
  }
  // The replayed span starts `startOffsetUs` of replay time after the trace's first record.
  const scoredStartUs = traceStartUs + Math.round((config.startOffsetUs ?? 0) * config.speed);
  const scoredRange: LabelWindow = {
    startUs: scoredStartUs,
    endUs: scoredStartUs + Math.round(workload.durationUs * config.speed),
  };
  return scoreDetections(detectionTimesUs, labels, scoredRange);
}
