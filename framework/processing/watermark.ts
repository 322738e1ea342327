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
  /** `frontierUs` of the latest batch, for `advance` to report. */
  private lastFrontierUs = Number.NEGATIVE_INFINITY;
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
    const isFutureOutlier = new Uint8Array(records.length);
    const futureOutlierCount = this.advanceInto(records, processingTimeUs, isFutureOutlier);
    return {
      watermarkUs,
      nextWatermarkUs: this.watermarkValueUs,
      isFutureOutlier,
      futureOutlierCount,
      frontierUs: this.lastFrontierUs,
    };
  }

  /**
   * Does what `advance` does but writes the flags into a caller's array, so that a caller
   * running many small batches allocates nothing. Entry i of `isFutureOutlier` becomes 1 when
   * record i is a future outlier, else 0; entries past the batch are left alone. Returns the
   * number of future outliers. The step's watermarks are `currentUs` before and after the call.
   *
   * @throws Error when `isFutureOutlier` is shorter than the batch
   */
  advanceInto(
    records: readonly SensorRecord[],
    processingTimeUs: number,
    isFutureOutlier: Uint8Array,
  ): number {
    if (isFutureOutlier.length < records.length) {
      const flagCount = isFutureOutlier.length;
      throw new Error(
        `future-outlier flags hold ${flagCount} entries: expected at least ${records.length}`,
      );
    }
    const frontierUs = Math.max(this.maxAcceptedEventTimeUs, this.upperOuterFenceUs(records));
    const limitUs = Math.min(processingTimeUs, frontierUs) + this.maxFutureSkewUs;
    this.lastFrontierUs = frontierUs;

    let futureOutlierCount = 0;
    let batchMaxUs = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < records.length; i++) {
      const eventTimeUs = records[i].eventTimeUs;
      if (eventTimeUs > limitUs) {
        isFutureOutlier[i] = 1;
        futureOutlierCount += 1;
      } else {
        isFutureOutlier[i] = 0;
        if (eventTimeUs > batchMaxUs) {
          batchMaxUs = eventTimeUs;
        }
      }
    }

    this.outlierTotal += futureOutlierCount;
    if (batchMaxUs > this.maxAcceptedEventTimeUs) {
      this.maxAcceptedEventTimeUs = batchMaxUs;
      this.watermarkValueUs = Math.max(this.watermarkValueUs, batchMaxUs - this.allowedLatenessUs);
    }
    return futureOutlierCount;
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
    const eventTimes = this.eventTimesScratch;
    // Arrival order is close to event-time order, so insertion sort usually moves few values.
    // It gives up after a budget of moves, and the native sort takes over.
    if (!insertionSortPrefix(eventTimes, records, 2 * count + 512)) {
      const batchTimes = eventTimes.subarray(0, count);
      for (let i = 0; i < count; i++) {
        batchTimes[i] = records[i].eventTimeUs;
      }
      batchTimes.sort();
    }

    // Lower-rank quartiles: no interpolation, so the fence is one of the batch's event times
    // plus a multiple of a difference of two of them.
    const q1 = eventTimes[Math.floor((count - 1) / 4)];
    const q3 = eventTimes[Math.floor((3 * (count - 1)) / 4)];
    return q3 + 3 * (q3 - q1);
  }
}

/**
 * Writes the records' event times, sorted ascending, to the start of `out` and returns true,
 * or returns false once sorting has taken more than `maxMoves` moves. The order is that of
 * `Float64Array.prototype.sort`, which puts -0 before +0. A budget of 512 moves or more lets
 * any batch of up to 32 records finish.
 */
function insertionSortPrefix(
  out: Float64Array,
  records: readonly SensorRecord[],
  maxMoves: number,
): boolean {
  let moves = 0;
  for (let i = 0; i < records.length; i++) {
    const eventTimeUs = records[i].eventTimeUs;
    let j = i;
    while (j > 0 && isAfter(out[j - 1], eventTimeUs)) {
      out[j] = out[j - 1];
      j -= 1;
    }
    out[j] = eventTimeUs;
    moves += i - j;
    if (moves > maxMoves) {
      return false;
    }
  }
  return true;
}

/** Returns whether `a` sorts after `b`, with -0 before +0. */
function isAfter(a: number, b: number): boolean {
  return a > b || (a === 0 && b === 0 && 1 / a > 1 / b);
}
