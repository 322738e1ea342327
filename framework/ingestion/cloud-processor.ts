/**
 * The cloud side of a live run: it deduplicates incoming records by id, queues them, and on
 * each processing-time trigger runs the framework's processing pipeline on the queued records
 * as one micro-batch. It measures three latencies per record:
 * - ingestion: publish to receive;
 * - processing: receive to the end of the record's batch;
 * - end to end: the record's due time in the replay to the end of its batch.
 * Per-interval rows go to the results files and the dashboard.
 */
import { EventEmitter } from "node:events";
import type { AnomalyEvent } from "../processing/anomaly-detector.js";
import type { Pipeline, PipelineStats } from "../processing/pipeline.js";
import type { Clock, TimerHandle } from "../runtime/clock.js";
import { dueWallUs, type ReplayTimeline } from "./device-emitter.js";
import type { CloudSource, DeadLetter, ForwardBatch } from "./forward-batch.js";
import { LatencyHistogram } from "./latency-histogram.js";
import type { LiveRecord } from "./live-record.js";
import { RecordDeduplicator } from "./record-dedup.js";

/** Settings of a `CloudProcessor`. */
export interface CloudProcessorOptions {
  clock: Clock;
  pipeline: Pipeline;
  source: CloudSource;
  timeline: ReplayTimeline;
  /** Processing-time trigger interval, in µs of wall-clock time. */
  triggerIntervalUs: number;
  /** Records one micro-batch takes from the queue at most; the rest wait for the next. */
  maxBatchRecords: number;
  /** Queue length at which the source is paused; it resumes below half of this. */
  maxQueuedRecords: number;
  /** Width of one report interval, in µs of wall-clock time. */
  reportIntervalUs: number;
  /**
   * Extra wall-clock time each micro-batch takes per record, in µs, waited asynchronously
   * after the pipeline ran; default 0. Models a slower sink, for backpressure runs.
   */
  extraBatchUsPerRecord?: number;
  /**
   * Records published before `timeline.wallStartUs + warmupUs` are processed and counted but
   * left out of the latency histograms, so connection set-up and JIT warm-up do not skew a
   * measurement. Default 0.
   */
  warmupUs?: number;
}

/** One report interval of a live run. */
export interface LiveInterval {
  /** Start of the interval, in seconds since the run started. */
  startS: number;
  /** Width of the interval, in seconds. */
  widthS: number;
  /** Records received (duplicates excluded) during the interval. */
  arrivals: number;
  /** Records processed during the interval. */
  processed: number;
  /** Queue length at the end of the interval. */
  backlog: number;
  /**
   * Messages in the broker not yet consumed, or null where the source cannot tell. With Kafka
   * it counts offsets of the ingest topic, and each message is one forward batch of records.
   */
  consumerLag: number | null;
  /** Micro-batches run during the interval. */
  batches: number;
  /** Anomalies flagged during the interval. */
  anomalies: number;
  /** Processing workers: this cloud side runs one in-process pipeline. */
  workers: number;
  /** Share of the interval spent inside micro-batches, in [0, 1]. */
  busyShare: number;
  ingestionP50Ms: number | null;
  endToEndP50Ms: number | null;
  endToEndP95Ms: number | null;
  endToEndP99Ms: number | null;
}

/** Events a `CloudProcessor` emits, for the dashboard. */
export interface CloudProcessorEvents {
  interval: [LiveInterval];
  anomaly: [AnomalyEvent];
}

/** Counters of the cloud side. */
export interface CloudStats {
  /** Records delivered, duplicates included. */
  received: number;
  /** Records processed, each id once. */
  processed: number;
  /** Records delivered a second time or more, detected by id and not processed again. */
  duplicates: number;
  /** Dead letters received, each id once; a dead letter without an id counts once per message. */
  deadLettered: number;
  /** Reasons of the dead letters, with counts. */
  deadLetterReasons: Map<string, number>;
  batches: number;
  /** Largest queue length seen. */
  maxBacklog: number;
  /** Times the source was paused because the queue was full. */
  pauses: number;
}

interface QueuedRecord {
  record: LiveRecord;
  receiveTimeUs: number;
}

/** Micro-batch processing of the records a `CloudSource` delivers. */
export class CloudProcessor extends EventEmitter<CloudProcessorEvents> {
  readonly stats: CloudStats = {
    received: 0,
    processed: 0,
    duplicates: 0,
    deadLettered: 0,
    deadLetterReasons: new Map(),
    batches: 0,
    maxBacklog: 0,
    pauses: 0,
  };
  readonly ingestionLatency = new LatencyHistogram();
  readonly processingLatency = new LatencyHistogram();
  readonly endToEndLatency = new LatencyHistogram();
  readonly intervals: LiveInterval[] = [];
  readonly anomalies: AnomalyEvent[] = [];

  private readonly dedup = new RecordDeduplicator();
  private queue: QueuedRecord[] = [];
  private queueHead = 0;
  private isPaused = false;
  private isStopped = false;
  private isBatchRunning = false;
  private triggerTimer: TimerHandle | null = null;
  private reportTimer: TimerHandle | null = null;
  private startUs = 0;
  private interval = this.emptyInterval(0);
  private intervalBusyUs = 0;
  private intervalIngestion = new LatencyHistogram();
  private intervalEndToEnd = new LatencyHistogram();

  constructor(private readonly options: CloudProcessorOptions) {
    super();
  }

  /** Subscribes to the source and starts the triggers. */
  async start(): Promise<void> {
    this.startUs = this.options.clock.nowUs();
    await this.options.source.start({
      onBatch: (batch, receiveTimeUs) => this.onBatch(batch, receiveTimeUs),
      onDeadLetter: (letter) => this.onDeadLetter(letter),
    });
    this.scheduleTrigger(this.options.triggerIntervalUs);
    this.reportTimer = this.options.clock.schedule(this.options.reportIntervalUs, () =>
      this.onReport(),
    );
  }

  /** Records waiting for a micro-batch. */
  get backlog(): number {
    return this.queue.length - this.queueHead;
  }

  /** Sum of records processed and dead-lettered, each id once. */
  get accounted(): number {
    return this.stats.processed + this.stats.deadLettered;
  }

  /** Sets the extra per-record batch time, in µs, from the next micro-batch on. */
  setExtraBatchUsPerRecord(extraUs: number): void {
    this.options.extraBatchUsPerRecord = extraUs;
  }

  /** Cumulative counters of the processing pipeline. */
  pipelineStats(): PipelineStats {
    return this.options.pipeline.stats();
  }

  /**
   * Stops the triggers, processes what is still queued, closes the open windows and the
   * current report interval.
   */
  async stop(): Promise<void> {
    this.isStopped = true;
    if (this.triggerTimer !== null) this.options.clock.cancel(this.triggerTimer);
    if (this.reportTimer !== null) this.options.clock.cancel(this.reportTimer);
    while (this.isBatchRunning) await new Promise((resolve) => setImmediate(resolve));
    while (this.backlog > 0) await this.runBatch();
    const result = this.options.pipeline.finish(this.eventAxisNowUs());
    for (const anomaly of result.anomalies) this.recordAnomaly(anomaly);
    this.closeInterval();
  }

  private onBatch(batch: ForwardBatch, receiveTimeUs: number): void {
    for (const record of batch.records) {
      this.stats.received++;
      if (!this.dedup.markSeen(record.id)) {
        this.stats.duplicates++;
        continue;
      }
      this.queue.push({ record, receiveTimeUs });
      this.interval.arrivals++;
      if (this.isWarmup(record)) continue;
      const ingestionUs = receiveTimeUs - record.publishTimeUs;
      this.ingestionLatency.add(ingestionUs);
      this.intervalIngestion.add(ingestionUs);
    }
    this.stats.maxBacklog = Math.max(this.stats.maxBacklog, this.backlog);
    if (!this.isPaused && this.backlog >= this.options.maxQueuedRecords) {
      this.isPaused = true;
      this.stats.pauses++;
      this.options.source.pause();
    }
  }

  private onDeadLetter(letter: DeadLetter): void {
    if (letter.id !== null && !this.dedup.markSeen(letter.id)) {
      this.stats.duplicates++;
      return;
    }
    this.stats.deadLettered++;
    const reason = letter.reason.split(":")[0];
    this.stats.deadLetterReasons.set(reason, (this.stats.deadLetterReasons.get(reason) ?? 0) + 1);
  }

  private scheduleTrigger(delayUs: number): void {
    if (this.isStopped) return;
    this.triggerTimer = this.options.clock.schedule(Math.max(0, Math.round(delayUs)), () => {
      this.triggerTimer = null;
      void this.onTrigger();
    });
  }

  private async onTrigger(): Promise<void> {
    const startedUs = this.options.clock.nowUs();
    if (this.backlog > 0) await this.runBatch();
    // A batch that overran its trigger is followed at once by the next, as in Spark.
    const elapsedUs = this.options.clock.nowUs() - startedUs;
    this.scheduleTrigger(this.options.triggerIntervalUs - elapsedUs);
  }

  private async runBatch(): Promise<void> {
    this.isBatchRunning = true;
    const { clock, pipeline, maxBatchRecords } = this.options;
    const startedUs = clock.nowUs();
    const taken = this.takeFromQueue(maxBatchRecords);
    const result = pipeline.processBatch(
      taken.map((item) => item.record),
      this.eventAxisNowUs(),
    );
    const extraUs = (this.options.extraBatchUsPerRecord ?? 0) * taken.length;
    if (extraUs > 0)
      await new Promise((resolve) => clock.schedule(Math.round(extraUs), () => resolve(null)));

    // Every record of the batch is done when the batch ends.
    const endUs = clock.nowUs();
    for (const item of taken) {
      if (this.isWarmup(item.record)) continue;
      this.processingLatency.add(endUs - item.receiveTimeUs);
      const endToEndUs = endUs - dueWallUs(this.options.timeline, item.record.eventTimeUs);
      this.endToEndLatency.add(endToEndUs);
      this.intervalEndToEnd.add(endToEndUs);
    }
    for (const anomaly of result.anomalies) this.recordAnomaly(anomaly);
    this.stats.processed += taken.length;
    this.stats.batches++;
    this.interval.processed += taken.length;
    this.interval.batches++;
    this.intervalBusyUs += endUs - startedUs;
    this.isBatchRunning = false;

    if (this.isPaused && this.backlog < this.options.maxQueuedRecords / 2) {
      this.isPaused = false;
      this.options.source.resume();
    }
  }

  private isWarmup(record: LiveRecord): boolean {
    const warmupUs = this.options.warmupUs ?? 0;
    return warmupUs > 0 && record.publishTimeUs < this.options.timeline.wallStartUs + warmupUs;
  }

  private takeFromQueue(limit: number): QueuedRecord[] {
    const end = Math.min(this.queue.length, this.queueHead + limit);
    const taken = this.queue.slice(this.queueHead, end);
    this.queueHead = end;
    // Drop the consumed prefix once it is the larger part, so the array does not grow forever.
    if (this.queueHead > 1_024 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
    return taken;
  }

  /** Wall-clock now mapped onto the trace's event-time axis, for the watermark. */
  private eventAxisNowUs(): number {
    const { timeline } = this.options;
    const elapsedUs = this.options.clock.nowUs() - timeline.wallStartUs;
    return Math.round(timeline.traceStartUs + elapsedUs * timeline.speed);
  }

  private recordAnomaly(anomaly: AnomalyEvent): void {
    this.anomalies.push(anomaly);
    this.interval.anomalies++;
    this.emit("anomaly", anomaly);
  }

  private onReport(): void {
    this.reportTimer = null;
    this.closeInterval();
    if (!this.isStopped) {
      this.reportTimer = this.options.clock.schedule(this.options.reportIntervalUs, () =>
        this.onReport(),
      );
    }
  }

  private closeInterval(): void {
    const interval = this.interval;
    const nowUs = this.options.clock.nowUs();
    const widthUs = Math.max(1, nowUs - this.startUs - interval.startS * 1e6);
    interval.widthS = widthUs / 1e6;
    interval.backlog = this.backlog;
    interval.busyShare = Math.min(1, this.intervalBusyUs / widthUs);
    interval.ingestionP50Ms = toMs(this.intervalIngestion.quantileUs(0.5));
    interval.endToEndP50Ms = toMs(this.intervalEndToEnd.quantileUs(0.5));
    interval.endToEndP95Ms = toMs(this.intervalEndToEnd.quantileUs(0.95));
    interval.endToEndP99Ms = toMs(this.intervalEndToEnd.quantileUs(0.99));
    this.intervals.push(interval);

    const finished = interval;
    void this.options.source.lag().then((lag) => {
      finished.consumerLag = lag;
      this.emit("interval", finished);
    });
    this.interval = this.emptyInterval((nowUs - this.startUs) / 1e6);
    this.intervalBusyUs = 0;
    this.intervalIngestion = new LatencyHistogram();
    this.intervalEndToEnd = new LatencyHistogram();
  }

  private emptyInterval(startS: number): LiveInterval {
    return {
      startS,
      widthS: 0,
      arrivals: 0,
      processed: 0,
      backlog: 0,
      consumerLag: null,
      batches: 0,
      anomalies: 0,
      workers: 1,
      busyShare: 0,
      ingestionP50Ms: null,
      endToEndP50Ms: null,
      endToEndP95Ms: null,
      endToEndP99Ms: null,
    };
  }
}

function toMs(valueUs: number | null): number | null {
  return valueUs === null ? null : valueUs / 1_000;
}
