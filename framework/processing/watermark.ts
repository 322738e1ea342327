/**
 * The event-time watermark, advanced once per micro-batch as in Spark Structured Streaming,
 * with a guard that keeps far-future event times from dragging it forward.
 */

import type { SensorRecord } from "../ingestion/record.js";
import { integerIssue, throwIfAnyIssue } from "./option-checks.js";

/** Watermark value before any record has been accepted: every window is still open. */
export const NO_WATERMARK_US = Number.NEGATIVE_INFINITY;

/** Options of an event-time watermark. */
export interface WatermarkOptions {
  /**
   * Allowed lateness in µs (Spark's `delayThreshold`): the watermark trails the largest
   * accepted event time by this much. A non-negative integer.
   */
  allowedLatenessUs: number;
  /**
   * How far in µs an event time may lie ahead of the processing time, or of the batch's
   * event-time frontier, before the record counts as a future outlier. A non-negative integer.
   */
  maxFutureSkewUs: number;
}

/** Outcome of one `advance` call: the watermarks around a batch and its future outliers. */
export interface WatermarkStep {
  /** Watermark in force for this batch, computed from earlier batches only. */
  watermarkUs: number;
  /** Watermark after this batch: it closes windows now and is in force for the next batch. */
  nextWatermarkUs: number;
  /** Entry i is 1 when record i of the batch is a future outlier, else 0. */
  isFutureOutlier: Uint8Array;
  /** Number of future outliers in the batch. */
  futureOutlierCount: number;
  /** Event-time bound above which records were flagged, before adding the skew, in µs. */
  frontierUs: number;
}

/**
 * Tracks the watermark: the largest accepted event time minus `allowedLatenessUs`, never
 * decreasing. As in Spark Structured Streaming, the watermark that applies to batch N is
 * computed from batches 0 to N-1. The largest event time of batch N raises the watermark that
 * closes windows at the end of batch N and applies to batch N+1.
 *
 * Future-outlier rule: a record of a batch is a future outlier when its event time exceeds
 *
 * - `processingTimeUs + maxFutureSkewUs`, because a reading cannot come from the future, or
 * - `frontierUs + maxFutureSkewUs`, with `frontierUs` the larger of the largest event time
 *   accepted in earlier batches and the batch's upper outer fence `q3 + 3 * (q3 - q1)`
 *   (q1 and q3 are the lower and upper quartiles of the batch's event times).
 *
 * The second bound catches outliers when the processing time runs far ahead of the event
 * times, as when a live run replays an old trace. The outer fence is the one of Tukey's
 * boxplot. Far-future rows cannot move the quartiles unless they make up a quarter of the
 * batch or more, so the guard works up to that share. A whole batch that jumps forward
 * together, as after a gap in a trace, moves its quartiles and is accepted. A batch that
 * straddles such a gap, with most records before it, flags the records after it.
 *
 * Outliers are counted and flagged for the caller to process apart, and they never raise the
 * watermark. The first bound assumes that `processingTimeUs` is on the event-time axis (µs
 * since the Unix epoch, UTC). With a processing time far behind the event times, every record
 * is flagged.
 */
export class EventTimeWatermark {
  readonly allowedLatenessUs: number;
  readonly maxFutureSkewUs: number;
  private watermarkValueUs = NO_WATERMARK_US;
  private maxAcceptedEventTimeUs = Number.NEGATIVE_INFINITY;
  private outlierTotal = 0;
  private eventTimesScratch = new Float64Array(1024);

  /** @throws UserInputError when an option is not a non-negative integer */
  constructor(options: WatermarkOptions) {
    throwIfAnyIssue("watermark options", [
      integerIssue("allowedLatenessUs", options.allowedLatenessUs, 0),
      integerIssue("maxFutureSkewUs", options.maxFutureSkewUs, 0),
    ]);
    this.allowedLatenessUs = options.allowedLatenessUs;
    this.maxFutureSkewUs = options.maxFutureSkewUs;
  }

  /** Watermark in force for the next batch, in µs; `NO_WATERMARK_US` before any record. */
  get currentUs(): number {
    return this.watermarkValueUs;
  }

  /** Largest event time accepted so far, in µs; -Infinity before any record. */
  get maxEventTimeUs(): number {
    return this.maxAcceptedEventTimeUs;
  }

  /** Number of future outliers flagged so far. */
  get futureOutlierCount(): number {
    return this.outlierTotal;
  }

  /**
   * Flags the batch's future outliers, then raises the watermark from the largest remaining
   * event time. An empty batch leaves the watermark unchanged.
   */
  advance(records: readonly SensorRecord[], processingTimeUs: number): WatermarkStep {
    const watermarkUs = this.watermarkValueUs;
    const frontierUs = Math.max(this.maxAcceptedEventTimeUs, this.upperOuterFenceUs(records));
    const limitUs = Math.min(processingTimeUs, frontierUs) + this.maxFutureSkewUs;

    const isFutureOutlier = new Uint8Array(records.length);
    let futureOutlierCount = 0;
    let batchMaxUs = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < records.length; i++) {
      const eventTimeUs = records[i].eventTimeUs;
      if (eventTimeUs > limitUs) {
        isFutureOutlier[i] = 1;
        futureOutlierCount += 1;
      } else if (eventTimeUs > batchMaxUs) {
        batchMaxUs = eventTimeUs;
      }
    }

    this.outlierTotal += futureOutlierCount;
    if (batchMaxUs > this.maxAcceptedEventTimeUs) {
      this.maxAcceptedEventTimeUs = batchMaxUs;
      this.watermarkValueUs = Math.max(watermarkUs, batchMaxUs - this.allowedLatenessUs);
    }
    return {
      watermarkUs,
      nextWatermarkUs: this.watermarkValueUs,
      isFutureOutlier,
      futureOutlierCount,
      frontierUs,
    };
  }

  /** Returns q3 + 3 (q3 - q1) of the batch's event times, or -Infinity for an empty batch. */
  private upperOuterFenceUs(records: readonly SensorRecord[]): number {
    const count = records.length;
    if (count === 0) {
      return Number.NEGATIVE_INFINITY;
    }
    if (this.eventTimesScratch.length < count) {
      this.eventTimesScratch = new Float64Array(Math.max(count, 2 * this.eventTimesScratch.length));
    }
    const eventTimes = this.eventTimesScratch.subarray(0, count);
    for (let i = 0; i < count; i++) {
      eventTimes[i] = records[i].eventTimeUs;
    }
    eventTimes.sort();

    // Lower-rank quartiles: no interpolation, so the fence is one of the batch's event times
    // plus a multiple of a difference of two of them.
    const q1 = eventTimes[Math.floor((count - 1) / 4)];
    const q3 = eventTimes[Math.floor((3 * (count - 1)) / 4)];
    return q3 + 3 * (q3 - q1);
  }
}
