/**
 * The serverless Spark streaming engine model: processing-time triggers start micro-batches
 * over the records queued since the previous batch, the framework's processing code runs on
 * those records, and the cost model decides when the batch's results are written. An allocator
 * resizes the executor pool at every decision interval.
 */
import type { SensorRecord } from "../../framework/ingestion/record.js";
import type { CostMeter } from "../../framework/cloud/billing.js";
import type { Allocator, Observation } from "../allocation.js";
import type { MetricsRecorder } from "../metrics.js";
import type { Simulator } from "../simulator.js";
import { arrivedBy, type Workload } from "../workload.js";
import { planBatch, type BatchPlan, type SparkModelConfig } from "./cost-model.js";
import { ExecutorPool, type ExecutorPoolConfig } from "./executor-pool.js";

/** The processing code a micro-batch runs: the framework's pipeline, seen structurally. */
export interface BatchProcessor {
  processBatch(records: readonly SensorRecord[], processingTimeUs: number): unknown;
}

/** Everything the engine needs besides the workload. */
export interface EngineConfig {
  spark: SparkModelConfig;
  executors: ExecutorPoolConfig & {
    initialExecutors: number;
    /** Whether the initial executors are running at time 0 instead of starting cold. */
    startsWarm: boolean;
  };
  /** Time between allocator decisions, in microseconds. */
  decisionIntervalUs: number;
  /** Width of one time-series row, in microseconds. */
  reportIntervalUs: number;
  /** Offset of the workload's local time from UTC, in hours, for the hour-of-day feature. */
  utcOffsetHours: number;
  /** Hourly price of one executor and of the always-on driver, in USD. */
  executorUsdPerHour: number;
  driverUsdPerHour: number;
}

interface RunningBatch {
  startUs: number;
  firstRecord: number;
  endRecord: number;
  plan: BatchPlan;
  cores: number;
}

/** One policy's engine over one workload. */
export class MicroBatchEngine {
  readonly pool: ExecutorPool;
  private nextRecord = 0;
  private batch: RunningBatch | undefined;
  private isTriggerDue = false;
  private pendingSinceUs: number | null = null;
  private busyCoreUsInDecision = 0;
  private availableCoreUsInDecision = 0;
  private lastCoreAccountingUs = 0;
  private previousArrivalsPerSec = 0;
  private reportStartUs = 0;
  private arrivalsReported = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly config: EngineConfig,
    private readonly workload: Workload,
    private readonly processor: BatchProcessor,
    private readonly allocator: Allocator,
    private readonly meter: CostMeter,
    private readonly recorder: MetricsRecorder,
  ) {
    this.pool = new ExecutorPool(sim, config.executors, meter, () => this.onExecutorReady());
  }

  /** Time between allocator decisions: the allocator's own, else the run's, in microseconds. */
  get decisionIntervalUs(): number {
    return this.allocator.decisionIntervalUs ?? this.config.decisionIntervalUs;
  }

  /** Index of the first record not yet taken into a micro-batch. */
  get recordsTaken(): number {
    return this.nextRecord;
  }

  /** Schedules triggers, decisions and reporting; call once before running the simulator. */
  start(): void {
    const { initialExecutors, startsWarm } = this.config.executors;
    if (startsWarm) this.pool.startWarm(initialExecutors);
    else this.pool.resize(initialExecutors);
    this.sim.every(this.config.spark.triggerIntervalUs, () => this.onTrigger(), 0);
    this.sim.every(this.decisionIntervalUs, () => this.decide());
    this.sim.every(this.config.reportIntervalUs, () => this.report());
  }

  /** Releases all executors at the end of the run. */
  stop(): void {
    this.pool.releaseAll();
  }

  private onTrigger(): void {
    if (this.batch !== undefined) {
      this.isTriggerDue = true; // the batch overran its trigger; the next starts when it ends
      return;
    }
    this.tryStartBatch();
  }

  private onExecutorReady(): void {
    if (this.batch === undefined && this.pendingSinceUs !== null) this.tryStartBatch();
  }

  private tryStartBatch(): void {
    const now = this.sim.nowUs();
    const endRecord = arrivedBy(this.workload, now);
    if (endRecord === this.nextRecord) return; // Structured Streaming skips empty micro-batches

    // With no executor ready the batch's tasks wait, which the scheduler reports as backlog.
    const cores = this.pool.readyCores;
    if (cores === 0) {
      this.pendingSinceUs ??= now;
      return;
    }

    this.accountCores();
    const plan = planBatch(this.config.spark, endRecord - this.nextRecord, cores);
    this.batch = { startUs: now, firstRecord: this.nextRecord, endRecord, plan, cores };
    this.nextRecord = endRecord;
    this.pendingSinceUs =
      Math.max(plan.mapTasks, plan.reduceTasks) > cores ? (this.pendingSinceUs ?? now) : null;
    this.pool.startBatch(Math.max(plan.mapTasks, plan.reduceTasks));

    const records = this.workload.records.slice(this.batch.firstRecord, endRecord);
    this.processor.processBatch(records, this.workload.epochUs + now);
    this.sim.post(plan.durationUs, () => this.endBatch());
  }

  private endBatch(): void {
    const batch = this.batch as RunningBatch;
    const now = this.sim.nowUs();
    const simEpochUs = this.workload.epochUs;
    const records = this.workload.records;
    for (let i = batch.firstRecord; i < batch.endRecord; i++) {
      this.recorder.recordLatency(now - (records[i].eventTimeUs - simEpochUs));
    }

    this.accountCores();
    this.busyCoreUsInDecision += batch.plan.busyCoreUs;
    this.batch = undefined;
    this.pool.endBatch();
    if (this.isTriggerDue) {
      this.isTriggerDue = false;
      this.tryStartBatch();
    }
    if (this.batch === undefined && this.pendingSinceUs !== null && this.pool.readyCores > 0) {
      this.pendingSinceUs = null;
    }
  }

  /** Adds available core time since the last call, for the utilisation feature. */
  private accountCores(): void {
    const now = this.sim.nowUs();
    this.availableCoreUsInDecision += (now - this.lastCoreAccountingUs) * this.pool.readyCores;
    this.lastCoreAccountingUs = now;
  }

  private decide(): void {
    const observation = this.observe();
    const action = this.allocator.decide(observation);
    this.pool.resize(action.targetExecutors);
  }

  /** Builds the allocator's observation of the current state. */
  observe(): Observation {
    const now = this.sim.nowUs();
    const intervalUs = this.decisionIntervalUs;
    const arrivals = arrivedBy(this.workload, now) - arrivedBy(this.workload, now - intervalUs);
    const arrivalsPerSec = arrivals / (intervalUs / 1e6);
    const trend = arrivalsPerSec - this.previousArrivalsPerSec;
    this.previousArrivalsPerSec = arrivalsPerSec;

    this.accountCores();
    const utilisation =
      this.availableCoreUsInDecision > 0
        ? Math.min(1, this.busyCoreUsInDecision / this.availableCoreUsInDecision)
        : 0;
    this.busyCoreUsInDecision = 0;
    this.availableCoreUsInDecision = 0;

    const pendingTasks = this.pendingTasks(now);
    const runningTasks = this.runningTasks(now);
    const latency = this.recorder.takeDecisionPercentiles();
    return {
      timeUs: now,
      hourOfDay: this.hourOfDay(now),
      arrivalsPerSec,
      arrivalTrendPerSec: trend,
      backlogRecords: arrivedBy(this.workload, now) - this.finishedRecordCount(),
      pendingTasks,
      runningTasks,
      pendingTasksForUs:
        pendingTasks > 0 && this.pendingSinceUs !== null ? now - this.pendingSinceUs : 0,
      executorsRunning: this.pool.readyCount,
      executorsPending: this.pool.pendingCount,
      executorIdleUs: this.pool.idleTimesUs(),
      utilisation,
      latencyP50Us: latency.p50,
      latencyP95Us: latency.p95,
      latencyP99Us: latency.p99,
      costRateUsdPerHour:
        this.config.driverUsdPerHour +
        this.config.executorUsdPerHour * (this.pool.readyCount + this.pool.pendingCount),
    };
  }

  /** Tasks of the running batch not yet started, or all tasks of a batch waiting for cores. */
  private pendingTasks(now: number): number {
    const batch = this.batch;
    if (batch === undefined) {
      if (this.pendingSinceUs === null) return 0;
      return this.config.spark.inputPartitions; // waiting for the first executor
    }
    const { plan, cores } = batch;
    const elapsedUs = now - batch.startUs - this.config.spark.batchOverheadUs;
    const mapSpanUs = plan.mapWaves * plan.mapTaskUs;
    if (elapsedUs < mapSpanUs) {
      const wave = Math.max(0, Math.floor(elapsedUs / Math.max(1, plan.mapTaskUs)));
      return Math.max(0, plan.mapTasks - (wave + 1) * cores);
    }
    const wave = Math.floor((elapsedUs - mapSpanUs) / Math.max(1, plan.reduceTaskUs));
    return Math.max(0, plan.reduceTasks - (wave + 1) * cores);
  }

  /** Tasks occupying cores right now: a full wave, or the last partial wave of a stage. */
  private runningTasks(now: number): number {
    const batch = this.batch;
    if (batch === undefined) return 0;
    const { plan, cores } = batch;
    const elapsedUs = now - batch.startUs - this.config.spark.batchOverheadUs;
    const mapSpanUs = plan.mapWaves * plan.mapTaskUs;
    if (elapsedUs < 0) return 0;
    const inMap = elapsedUs < mapSpanUs;
    const tasks = inMap ? plan.mapTasks : plan.reduceTasks;
    const taskUs = Math.max(1, inMap ? plan.mapTaskUs : plan.reduceTaskUs);
    const wave = Math.floor((inMap ? elapsedUs : elapsedUs - mapSpanUs) / taskUs);
    return Math.max(0, Math.min(cores, tasks - wave * cores));
  }

  private finishedRecordCount(): number {
    return this.batch === undefined ? this.nextRecord : this.batch.firstRecord;
  }

  private hourOfDay(now: number): number {
    const hours = (this.workload.epochUs + now) / 3_600_000_000 + this.config.utcOffsetHours;
    return ((hours % 24) + 24) % 24;
  }

  /** Closes the current time-series row at the current time. */
  report(): void {
    const now = this.sim.nowUs();
    const arrived = arrivedBy(this.workload, now);
    this.recorder.closeInterval({
      startUs: this.reportStartUs,
      arrivals: arrived - this.arrivalsReported,
      backlog: arrivedBy(this.workload, now) - this.finishedRecordCount(),
      executorsRunning: this.pool.readyCount,
      executorsPending: this.pool.pendingCount,
      costUsd: this.meter.accrue(now),
    });
    this.reportStartUs = now;
    this.arrivalsReported = arrived;
  }
}
