/**
 * The micro-batch processing pipeline: watermark, per-device tumbling window, per-area sliding
 * window and per-series anomaly detection, run in that order on each batch.
 */

import type { SensorRecord } from "../ingestion/record.js";
import { UserInputError } from "../runtime/user-input-error.js";
import { AnomalyDetector, type AnomalyEvent } from "./anomaly-detector.js";
import { validatePipelineSpec, type PipelineSpec } from "./pipeline-spec.js";
import { SlidingWindowOperator } from "./sliding-window.js";
import { TumblingWindowOperator } from "./tumbling-window.js";
import type { WindowResult } from "./window-aggregate.js";
import { EventTimeWatermark } from "./watermark.js";

/**
 * Operator names in the order each record passes through them. `validate` checks the record
 * and `watermark` classifies it against the event-time watermark; an engine model can charge a
 * per-record service time for each name.
 */
export const PIPELINE_OPERATORS = [
  "validate",
  "watermark",
  "device-window",
  "area-window",
  "anomaly",
] as const;

/** One of `PIPELINE_OPERATORS`. */
export type PipelineOperator = (typeof PIPELINE_OPERATORS)[number];

/** Functions a pipeline needs besides its spec. */
export interface PipelineOptions {
  /** Area of a device, the grouping key of the area window; called once per device id. */
  areaOf: (deviceId: string) => string;
}

/** Record and result counts of one batch, or cumulative over a run. */
export interface BatchCounts {
  /** Records received. */
  recordsIn: number;
  /** Records whose value was null or not finite: counted, never aggregated. */
  missing: number;
  /** Records flagged by the watermark's future-outlier guard. */
  futureOutliers: number;
  /** Records late for the device window: their window had already been emitted. */
  lateDeviceWindow: number;
  /** Records late for at least one of their area windows. */
  lateAreaWindow: number;
  /** Device window results emitted, of every status. */
  deviceWindowResults: number;
  /** Area window results emitted, of every status. */
  areaWindowResults: number;
  /** Anomaly events emitted. */
  anomalies: number;
}

/** Everything one call to `processBatch` or `finish` produced. */
export interface BatchResult {
  /** Processing time passed by the caller, in µs. */
  processingTimeUs: number;
  /** Watermark in force while the batch was processed, in µs. */
  watermarkUs: number;
  /** Watermark after the batch, which closed the emitted windows, in µs. */
  nextWatermarkUs: number;
  counts: BatchCounts;
  /** Device window results in `compareWindowResults` order. */
  deviceWindows: WindowResult[];
  /** Area window results in `compareWindowResults` order. */
  areaWindows: WindowResult[];
  /** Anomaly events in the order of the batch's records. */
  anomalies: AnomalyEvent[];
  /** The batch's future outliers in batch order, also emitted as `future-outlier` results. */
  futureOutliers: SensorRecord[];
}

/** Cumulative counts of a pipeline. */
export interface PipelineStats extends BatchCounts {
  /** Calls to `processBatch`. */
  batches: number;
  /** Watermark in force for the next batch, in µs. */
  watermarkUs: number;
}

/** A running pipeline. */
export interface Pipeline {
  /** Operator names in record order, the same list as `PIPELINE_OPERATORS`. */
  readonly operators: readonly PipelineOperator[];
  /**
   * Processes one micro-batch. It flags future outliers, aggregates every record into its
   * windows and scores every value, late records and future outliers included. Then it
   * raises the watermark and emits the windows that the new watermark closes.
   * `processingTimeUs` must be on the event-time axis, in µs since the Unix epoch; see
   * `EventTimeWatermark` for how it bounds event times.
   *
   * @throws UserInputError when a record's event time is not an integer
   * @throws Error after `finish`
   */
  processBatch(records: readonly SensorRecord[], processingTimeUs: number): BatchResult;
  /**
   * Emits every window still open, as at the end of input. The pipeline then rejects further
   * batches.
   */
  finish(processingTimeUs: number): BatchResult;
  /** Returns the cumulative counts. */
  stats(): PipelineStats;
}

/**
 * Builds a pipeline from a scenario's spec.
 *
 * @throws UserInputError listing every problem of the spec
 */
export function createPipeline(spec: PipelineSpec, options: PipelineOptions): Pipeline {
  return new StreamPipeline(validatePipelineSpec(spec), options);
}

class StreamPipeline implements Pipeline {
  readonly operators = PIPELINE_OPERATORS;
  private readonly watermark: EventTimeWatermark;
  private readonly deviceWindow: TumblingWindowOperator;
  private readonly areaWindow: SlidingWindowOperator;
  private readonly detector: AnomalyDetector;
  private readonly areaByDevice = new Map<string, string>();
  private readonly totals: BatchCounts = emptyCounts();
  private batchCount = 0;
  private isFinished = false;

  constructor(spec: PipelineSpec, options: PipelineOptions) {
    this.watermark = new EventTimeWatermark({
      allowedLatenessUs: spec.allowedLatenessUs,
      maxFutureSkewUs: spec.maxFutureSkewUs,
    });
    this.deviceWindow = new TumblingWindowOperator({
      sizeUs: spec.deviceWindow.sizeUs,
      keyOf: (record) => record.deviceId,
    });
    this.areaWindow = new SlidingWindowOperator({
      sizeUs: spec.areaWindow.sizeUs,
      slideUs: spec.areaWindow.slideUs,
      keyOf: (record) => this.areaOfCached(record.deviceId, options.areaOf),
    });
    this.detector = new AnomalyDetector(spec.anomaly);
  }

  processBatch(records: readonly SensorRecord[], processingTimeUs: number): BatchResult {
    if (this.isFinished) {
      throw new Error("pipeline already finished: processBatch must not follow finish");
    }
    for (const record of records) {
      validateRecord(record);
    }
    const step = this.watermark.advance(records, processingTimeUs);

    // Aggregate and score every record; outliers go to their own aggregates.
    const counts = emptyCounts();
    const anomalies: AnomalyEvent[] = [];
    const futureOutliers: SensorRecord[] = [];
    for (let i = 0; i < records.length; i++) {
      const record = records[i];
      if (record.value === null || !Number.isFinite(record.value)) {
        counts.missing += 1;
      }
      if (step.isFutureOutlier[i] === 1) {
        futureOutliers.push(record);
        this.deviceWindow.addFutureOutlier(record);
        this.areaWindow.addFutureOutlier(record);
      } else {
        counts.lateDeviceWindow += this.deviceWindow.add(record, step.watermarkUs) ? 1 : 0;
        counts.lateAreaWindow += this.areaWindow.add(record, step.watermarkUs) ? 1 : 0;
      }
      const event = this.detector.observe(record);
      if (event !== null) {
        anomalies.push(event);
      }
    }

    const deviceWindows = this.deviceWindow.emitClosed(step.nextWatermarkUs);
    const areaWindows = this.areaWindow.emitClosed(step.nextWatermarkUs);
    counts.recordsIn = records.length;
    counts.futureOutliers = step.futureOutlierCount;
    counts.anomalies = anomalies.length;
    this.batchCount += 1;
    return this.completeResult(processingTimeUs, step.watermarkUs, step.nextWatermarkUs, counts, {
      deviceWindows,
      areaWindows,
      anomalies,
      futureOutliers,
    });
  }

  finish(processingTimeUs: number): BatchResult {
    if (this.isFinished) {
      throw new Error("pipeline already finished: finish must be called once");
    }
    this.isFinished = true;
    const watermarkUs = this.watermark.currentUs;
    return this.completeResult(processingTimeUs, watermarkUs, watermarkUs, emptyCounts(), {
      deviceWindows: this.deviceWindow.flush(),
      areaWindows: this.areaWindow.flush(),
      anomalies: [],
      futureOutliers: [],
    });
  }

  stats(): PipelineStats {
    return { ...this.totals, batches: this.batchCount, watermarkUs: this.watermark.currentUs };
  }

  /** Completes the counts of a result and adds them to the totals. */
  private completeResult(
    processingTimeUs: number,
    watermarkUs: number,
    nextWatermarkUs: number,
    counts: BatchCounts,
    outputs: Pick<BatchResult, "deviceWindows" | "areaWindows" | "anomalies" | "futureOutliers">,
  ): BatchResult {
    counts.deviceWindowResults = outputs.deviceWindows.length;
    counts.areaWindowResults = outputs.areaWindows.length;
    for (const name of Object.keys(counts) as (keyof BatchCounts)[]) {
      this.totals[name] += counts[name];
    }
    return { processingTimeUs, watermarkUs, nextWatermarkUs, counts, ...outputs };
  }

  private areaOfCached(deviceId: string, areaOf: (deviceId: string) => string): string {
    let area = this.areaByDevice.get(deviceId);
    if (area === undefined) {
      area = areaOf(deviceId);
      this.areaByDevice.set(deviceId, area);
    }
    return area;
  }
}

function emptyCounts(): BatchCounts {
  return {
    recordsIn: 0,
    missing: 0,
    futureOutliers: 0,
    lateDeviceWindow: 0,
    lateAreaWindow: 0,
    deviceWindowResults: 0,
    areaWindowResults: 0,
    anomalies: 0,
  };
}

/** Rejects a record whose event time would corrupt window assignment or the watermark. */
function validateRecord(record: SensorRecord): void {
  if (!Number.isSafeInteger(record.eventTimeUs)) {
    const eventTime = String(record.eventTimeUs);
    const series = `device "${record.deviceId}" metric "${record.metric}"`;
    throw new UserInputError(
      `invalid eventTimeUs ${eventTime} for ${series}: expected integer µs since the Unix epoch`,
    );
  }
}
