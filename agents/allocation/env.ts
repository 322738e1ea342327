/**
 * The allocation environment: one episode is a window of a scenario's workload replayed
 * through the simulator's serverless Spark engine, and one step is one decision interval. The
 * agent's action sets the target executor count, as an allocator's `decide` would; the
 * reward weighs the interval's cost, late records, backlog and scaling churn. Episodes end only
 * by their time limit, so every episode is truncated, never terminated.
 */
import { CostMeter, workerHourlyRateUsd } from "../../framework/cloud/billing.js";
import type { Allocator, AllocatorContext, Observation } from "../../sim/allocation.js";
import { MetricsRecorder } from "../../sim/metrics.js";
import { deriveSeed, RandomStream } from "../../sim/random.js";
import { allocatorContext, type RunSettings } from "../../sim/run.js";
import { Simulator } from "../../sim/simulator.js";
import { MicroBatchEngine, type EngineConfig } from "../../sim/spark/engine.js";
import type { Workload } from "../../sim/workload.js";
import type { Env, StepResult } from "../common/env.js";
import { actionTarget, allocationFeatures, allocationSpaces } from "./features.js";
import { reward, type RewardWeights } from "./reward.js";

/** Settings of the allocation environment. */
export interface AllocationEnvConfig {
  /** The workload episodes are cut from; episodes start anywhere inside it. */
  workload: Workload;
  settings: RunSettings;
  /** Length of one episode, in microseconds of simulated time. */
  episodeUs: number;
  rewardWeights: RewardWeights;
}

/** The engine, kernel and counters of the running episode. */
interface Episode {
  sim: Simulator;
  engine: MicroBatchEngine;
  meter: CostMeter;
  recorder: MetricsRecorder;
  context: AllocatorContext;
  steps: number;
  finishedBefore: number;
}

const noProcessing = { processBatch: () => undefined };

export class AllocationEnv implements Env {
  readonly spaces = allocationSpaces;
  private episode: Episode | undefined;
  private observation: Observation | undefined;
  /** The executor count the engine's allocator returns at its next decision. */
  private target = 0;
  private random = new RandomStream(0);
  private readonly episodeSteps: number;

  constructor(private readonly config: AllocationEnvConfig) {
    const intervalUs = config.settings.engine.decisionIntervalUs;
    this.episodeSteps = Math.floor(config.episodeUs / intervalUs);
    if (this.episodeSteps < 1) {
      throw new Error(`episode of ${config.episodeUs} us is shorter than one decision interval`);
    }
    if (config.episodeUs > config.workload.durationUs) {
      throw new Error(
        `episode of ${config.episodeUs} us is longer than the workload (${config.workload.durationUs} us)`,
      );
    }
  }

  /** Starts an episode at a random whole decision interval of the workload. */
  reset(seed?: number): Float32Array {
    if (seed !== undefined)
      this.random = new RandomStream(deriveSeed(seed, "allocation/episode-start"));
    const { workload, settings, episodeUs } = this.config;
    const intervalUs = settings.engine.decisionIntervalUs;
    const starts = Math.floor((workload.durationUs - episodeUs) / intervalUs) + 1;
    const offsetUs = this.random.integer(0, starts - 1) * intervalUs;
    this.episode = this.startEpisode(workloadWindow(workload, offsetUs, episodeUs));

    // Run to the first decision, whose observation the agent acts on.
    this.episode.sim.run(intervalUs);
    return allocationFeatures(this.currentObservation(), this.episode.context);
  }

  step(action: number): StepResult {
    const episode = this.episode;
    if (episode === undefined) throw new Error("step called before reset");
    const { sim, engine, meter, recorder, context } = episode;
    const intervalUs = this.config.settings.engine.decisionIntervalUs;

    // The action takes effect at once, as an allocator's return value at this decision would.
    const previousTarget = this.target;
    this.target = actionTarget(action, this.currentObservation(), context);
    engine.pool.resize(this.target);
    const costBefore = meter.accruedUsd;
    sim.run(sim.nowUs() + intervalUs);
    meter.accrue(sim.nowUs());
    episode.steps += 1;

    const observation = this.currentObservation();
    const executorIntervalUsd =
      (this.engineRates().executorUsdPerHour * intervalUs) / 3_600_000_000;
    const costUsd = meter.accruedUsd - costBefore;
    const late = this.lateRecords(recorder, episode.finishedBefore);
    episode.finishedBefore = recorder.finishedCount;
    const slaRecords = Math.max(1, (observation.arrivalsPerSec * context.slaLatencyUs) / 1e6);
    const terms = {
      executorIntervals: costUsd / executorIntervalUsd,
      slaViolationShare: late.finished > 0 ? late.late / late.finished : 0,
      backlogSlaWorths: Math.min(10, observation.backlogRecords / slaRecords),
      churnShare: Math.abs(this.target - previousTarget) / Math.max(1, context.maxExecutors),
    };
    return {
      observation: allocationFeatures(observation, context),
      reward: reward(terms, this.config.rewardWeights),
      terminated: false,
      truncated: episode.steps >= this.episodeSteps,
      info: {
        cost_usd: costUsd,
        records_finished: late.finished,
        records_late: late.late,
        backlog_records: observation.backlogRecords,
        target_executors: this.target,
      },
    };
  }

  private startEpisode(workload: Workload): Episode {
    const sim = new Simulator();
    const { settings } = this.config;
    const meter = new CostMeter(settings.provider);
    const recorder = new MetricsRecorder(workload.records.length);
    const engineConfig: EngineConfig = { ...settings.engine, ...this.engineRates() };
    const allocator: Allocator = {
      name: "rl-environment",
      decide: (observation) => {
        this.observation = observation;
        return { targetExecutors: this.target };
      },
    };
    const engine = new MicroBatchEngine(
      sim,
      engineConfig,
      workload,
      noProcessing,
      allocator,
      meter,
      recorder,
    );
    this.target = settings.engine.executors.initialExecutors;
    engine.start();
    const context = allocatorContext(workload, settings);
    return { sim, engine, meter, recorder, context, steps: 0, finishedBefore: 0 };
  }

  private engineRates(): { executorUsdPerHour: number; driverUsdPerHour: number } {
    const { provider, engine } = this.config.settings;
    return {
      executorUsdPerHour: workerHourlyRateUsd(
        provider,
        engine.executors.cores,
        engine.executors.memoryGb,
      ),
      driverUsdPerHour: workerHourlyRateUsd(
        provider,
        provider.driver.vcpu,
        provider.driver.memoryGb,
      ),
    };
  }

  private currentObservation(): Observation {
    if (this.observation === undefined) throw new Error("the engine has not decided yet");
    return this.observation;
  }

  /** Counts records finished since `from` and those among them over the SLA target. */
  private lateRecords(recorder: MetricsRecorder, from: number): { finished: number; late: number } {
    const slaUs = this.config.settings.slaLatencyUs;
    let late = 0;
    for (let i = from; i < recorder.finishedCount; i++) if (recorder.latenciesUs[i] > slaUs) late++;
    return { finished: recorder.finishedCount - from, late };
  }
}

/**
 * Returns the records arriving in [offsetUs, offsetUs + lengthUs) as a workload whose time 0
 * is `offsetUs`. Event times stay absolute, so latencies keep their meaning.
 */
export function workloadWindow(workload: Workload, offsetUs: number, lengthUs: number): Workload {
  const first = arrivedBefore(workload, offsetUs);
  const end = arrivedBefore(workload, offsetUs + lengthUs);
  const arrivalUs = workload.arrivalUs.slice(first, end);
  for (let i = 0; i < arrivalUs.length; i++) arrivalUs[i] -= offsetUs;
  return {
    records: workload.records.slice(first, end),
    arrivalUs,
    epochUs: workload.epochUs + offsetUs,
    durationUs: lengthUs,
  };
}

/** Returns how many records arrive strictly before `timeUs` (binary search). */
function arrivedBefore(workload: Workload, timeUs: number): number {
  const arrivals = workload.arrivalUs;
  let low = 0;
  let high = arrivals.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (arrivals[mid] < timeUs) low = mid + 1;
    else high = mid;
  }
  return low;
}
