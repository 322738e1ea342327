/**
 * The run loop of one policy over one workload: build the kernel, the executor pool, the cost
 * meter and the engine, replay the workload, drain the backlog, and collect the results.
 */
import { CostMeter, workerHourlyRateUsd } from "../framework/cloud/billing.js";
import type { ProviderProfile } from "../framework/cloud/providers.js";
import type { AllocatorContext, AllocatorFactory } from "./allocation.js";
import { executorsFor } from "./capacity.js";
import { MetricsRecorder, type IntervalMetrics } from "./metrics.js";
import { Simulator } from "./simulator.js";
import { MicroBatchEngine, type BatchProcessor, type EngineConfig } from "./spark/engine.js";
import { arrivalRates, type Workload } from "./workload.js";

/** Settings shared by every policy of a run. */
export interface RunSettings {
  engine: Omit<EngineConfig, "executorUsdPerHour" | "driverUsdPerHour">;
  provider: ProviderProfile;
  /** SLA latency target, in microseconds. */
  slaLatencyUs: number;
  /** How long past the workload's end the run may go on draining the backlog, in microseconds. */
  drainLimitUs: number;
}

/** Results of one policy's run. */
export interface PolicyResult {
  policy: string;
  costUsd: number;
  executorHours: number;
  coldStarts: number;
  recordsProcessed: number;
  /** Records still unfinished when the drain limit ran out. */
  recordsUnfinished: number;
  /** End-to-end latencies of finished records, ascending, in microseconds. */
  latenciesUs: Float64Array;
  intervals: IntervalMetrics[];
  /** Simulated time at which the run ended, in microseconds. */
  endUs: number;
  /** Kernel events run. */
  events: number;
}

/** Builds the allocator context for a run, so allocators and tests share one definition. */
export function allocatorContext(workload: Workload, settings: RunSettings): AllocatorContext {
  const { engine } = settings;
  const { cores, maxExecutors, minExecutors, coldStartUs } = engine.executors;
  return {
    executorCores: cores,
    minExecutors,
    maxExecutors,
    coldStartUs,
    decisionIntervalUs: engine.decisionIntervalUs,
    triggerIntervalUs: engine.spark.triggerIntervalUs,
    slaLatencyUs: settings.slaLatencyUs,
    executorsFor: (recordsPerSec, target) =>
      executorsFor(engine.spark, cores, maxExecutors, recordsPerSec, target),
    arrivalRatesPerSec: arrivalRates(workload, engine.decisionIntervalUs),
  };
}

/** Runs one policy over the workload and returns its costs and latencies. */
export function runPolicy(
  workload: Workload,
  settings: RunSettings,
  factory: AllocatorFactory,
  processor: BatchProcessor,
  onProgress: (doneUs: number, totalUs: number) => void = () => {},
): PolicyResult {
  const sim = new Simulator();
  const { provider } = settings;
  const { cores, memoryGb } = settings.engine.executors;
  const meter = new CostMeter(provider);
  const recorder = new MetricsRecorder(workload.records.length);
  const engineConfig: EngineConfig = {
    ...settings.engine,
    executorUsdPerHour: workerHourlyRateUsd(provider, cores, memoryGb),
    driverUsdPerHour: workerHourlyRateUsd(provider, provider.driver.vcpu, provider.driver.memoryGb),
  };
  const allocator = factory(allocatorContext(workload, settings));
  const engine = new MicroBatchEngine(
    sim,
    engineConfig,
    workload,
    processor,
    allocator,
    meter,
    recorder,
  );

  engine.start();
  const chunkUs = Math.max(1, Math.ceil(workload.durationUs / 100));
  for (let untilUs = chunkUs; sim.nowUs() < workload.durationUs; untilUs += chunkUs) {
    sim.run(Math.min(untilUs, workload.durationUs));
    onProgress(sim.nowUs(), workload.durationUs);
  }

  // Drain: keep the engine running past the workload's end until every record is finished.
  const total = workload.records.length;
  const stepUs = engineConfig.spark.triggerIntervalUs;
  while (
    recorder.finishedCount < total &&
    sim.nowUs() < workload.durationUs + settings.drainLimitUs
  ) {
    sim.run(sim.nowUs() + stepUs);
  }

  engine.stop();
  const endUs = sim.nowUs();
  const costUsd = meter.close(endUs);
  engine.report();
  return {
    policy: allocator.name,
    costUsd,
    executorHours: meter.executorHours(),
    coldStarts: engine.pool.coldStarts,
    recordsProcessed: recorder.finishedCount,
    recordsUnfinished: total - recorder.finishedCount,
    latenciesUs: recorder.sortedLatencies(),
    intervals: recorder.intervals,
    endUs,
    events: sim.eventsProcessed,
  };
}
