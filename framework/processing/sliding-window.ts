/**
 * Event-time sliding windows with count, missing count, sum, mean, min and max per window, key
 * and metric. Windows start at integer multiples of the slide since the Unix epoch, as Spark's
 * `window(column, size, slide)` does with its default start offset of zero.
 */

import type { SensorRecord } from "../ingestion/record.js";
import { integerIssue, throwIfAnyIssue } from "./option-checks.js";
import type { WindowResult } from "./window-aggregate.js";
import { WindowEntrySorter } from "./window-order.js";
import { SeriesIndex, type WindowSeries } from "./window-series.js";
import { WindowEntryPool, WindowState, type WindowEntry } from "./window-state.js";

/** Options of a sliding window operator. */
export interface SlidingWindowOptions {
  /** Window length in µs, a positive integer. */
  sizeUs: number;
  /** Distance between window starts in µs, a positive integer no larger than `sizeUs`. */
  slideUs: number;
  /** Grouping key of a record, such as its device id or area; results split further by metric. */
  keyOf: (record: SensorRecord) => string;
}

/** Cumulative record and result counts of one window operator. */
export interface WindowOperatorStats {
  /** Records passed to `add` or `addFutureOutlier`. */
  recordsIn: number;
  /** Records whose every window was still open on arrival. */
  onTimeRecords: number;
  /** Records with at least one window already emitted on arrival. */
  lateRecords: number;
  /** Records set aside by the watermark's future-outlier guard. */
  futureOutlierRecords: number;
  /** Results emitted with status `on-time`. */
  onTimeResults: number;
  /** Results emitted with status `late`. */
  lateResults: number;
  /** Results emitted with status `future-outlier`. */
  futureOutlierResults: number;
  /** Open (window, key, metric) aggregates held now. */
  openAggregates: number;
}

/**
 * Aggregates records into event-time windows of `sizeUs`, one starting every `slideUs`, and
 * emits a window once the watermark reaches its end.
 *
 * A record is late for this operator when one of its windows was already emitted, that is
 * when the window's end is at or before the watermark passed to `add`. Lateness is judged by
 * window end because, in Spark's programming guide, a window ending at T accepts late data
 * until the watermark passes T. So a record older than the watermark whose windows are all
 * still open is aggregated normally. Late contributions are not dropped. They collect in
 * per-window late aggregates that the next `emitClosed` or `flush` emits with status `late`,
 * so every record shows up in exactly one result per window it belongs to.
 */
export class SlidingWindowOperator {
  readonly sizeUs: number;
  readonly slideUs: number;
  private readonly keyOf: (record: SensorRecord) => string;
  private readonly seriesIndex = new SeriesIndex();
  private readonly sorter = new WindowEntrySorter(this.seriesIndex);
  private readonly open: WindowState;
  private readonly lateUpdates: WindowState;
  private readonly futureOutliers: WindowState;
  private readonly counters: Omit<WindowOperatorStats, "openAggregates">;
  private readonly entryPool: WindowEntryPool;
  /** Entries taken by the current `drain`, kept between calls to save an allocation each. */
  private readonly closedEntries: WindowEntry[] = [];

  /**
   * @throws UserInputError when the size or slide is not a positive integer, or the slide
   *   exceeds the size
   */
  constructor(options: SlidingWindowOptions) {
    throwIfAnyIssue("window options", [
      integerIssue("sizeUs", options.sizeUs, 1),
      integerIssue("slideUs", options.slideUs, 1),
      options.slideUs > options.sizeUs
        ? `slideUs is ${options.slideUs}: expected at most sizeUs (${options.sizeUs})`
        : null,
    ]);
    this.sizeUs = options.sizeUs;
    this.slideUs = options.slideUs;
    this.keyOf = options.keyOf;
    const pool = new WindowEntryPool();
    this.open = new WindowState(this.sizeUs, "on-time", pool);
    this.lateUpdates = new WindowState(this.sizeUs, "late", pool);
    this.futureOutliers = new WindowState(this.sizeUs, "future-outlier", pool);
    this.entryPool = pool;
    this.counters = {
      recordsIn: 0,
      onTimeRecords: 0,
      lateRecords: 0,
      futureOutlierRecords: 0,
      onTimeResults: 0,
      lateResults: 0,
      futureOutlierResults: 0,
    };
  }

  /**
   * Adds a record to every window that contains its event time and returns whether it was late
   * for at least one of them. `watermarkUs` is the watermark in force for the current batch.
   */
  add(record: SensorRecord, watermarkUs: number): boolean {
    return this.addToSeries(this.seriesOf(this.keyOf(record), record.metric), record, watermarkUs);
  }

  /**
   * Does what `add` does, for a record whose series the caller has looked up with this
   * operator's `seriesOf` from the record's key and metric. A caller that sees the same series
   * often saves a lookup per record this way.
   */
  addToSeries(series: WindowSeries, record: SensorRecord, watermarkUs: number): boolean {
    let isLate = false;

    // Windows containing t start at s = k * slide with t - size < s <= t.
    const firstOutsideUs = record.eventTimeUs - this.sizeUs;
    const lastStartUs = this.lastWindowStartUs(record.eventTimeUs);
    for (let startUs = lastStartUs; startUs > firstOutsideUs; startUs -= this.slideUs) {
      if (startUs + this.sizeUs <= watermarkUs) {
        isLate = true;
        this.lateUpdates.aggregateFor(series, startUs).add(record.value);
      } else {
        this.open.aggregateFor(series, startUs).add(record.value);
      }
    }

    this.counters.recordsIn += 1;
    if (isLate) {
      this.counters.lateRecords += 1;
    } else {
      this.counters.onTimeRecords += 1;
    }
    return isLate;
  }

  /**
   * Aggregates a record that the watermark guard flagged as a future outlier apart from the
   * open windows, so it neither holds a far-future window open nor mixes with correct data.
   * The next `emitClosed` or `flush` emits it with status `future-outlier`.
   */
  addFutureOutlier(record: SensorRecord): void {
    this.addFutureOutlierToSeries(this.seriesOf(this.keyOf(record), record.metric), record);
  }

  /** Does what `addFutureOutlier` does, for a record whose series came from this `seriesOf`. */
  addFutureOutlierToSeries(series: WindowSeries, record: SensorRecord): void {
    const firstOutsideUs = record.eventTimeUs - this.sizeUs;
    const lastStartUs = this.lastWindowStartUs(record.eventTimeUs);
    for (let startUs = lastStartUs; startUs > firstOutsideUs; startUs -= this.slideUs) {
      this.futureOutliers.aggregateFor(series, startUs).add(record.value);
    }
    this.counters.recordsIn += 1;
    this.counters.futureOutlierRecords += 1;
  }

  /** Returns the (key, metric) series for `addToSeries`, creating it if absent. */
  seriesOf(key: string, metric: string): WindowSeries {
    return this.seriesIndex.seriesOf(key, metric);
  }

  /**
   * Emits every open window whose end is at or before `watermarkUs`, together with all pending
   * late and future-outlier aggregates, sorted by `compareWindowResults`.
   */
  emitClosed(watermarkUs: number): WindowResult[] {
    return this.drain(watermarkUs);
  }

  /** Emits every window still held, as at the end of input, sorted by `compareWindowResults`. */
  flush(): WindowResult[] {
    return this.drain(Number.POSITIVE_INFINITY);
  }

  /** Returns a copy of the cumulative counters. */
  stats(): WindowOperatorStats {
    return { ...this.counters, openAggregates: this.open.size };
  }

  private drain(endLimitUs: number): WindowResult[] {
    const entries = this.closedEntries;
    this.open.takeEndingBy(endLimitUs, entries);
    const onTimeCount = entries.length;
    this.lateUpdates.takeEndingBy(Number.POSITIVE_INFINITY, entries);
    const lateCount = entries.length - onTimeCount;
    this.futureOutliers.takeEndingBy(Number.POSITIVE_INFINITY, entries);

    this.counters.onTimeResults += onTimeCount;
    this.counters.lateResults += lateCount;
    this.counters.futureOutlierResults += entries.length - onTimeCount - lateCount;
    this.sorter.sort(entries);
    // Sized up front: a drain can emit one result per series, thousands at once.
    const results: WindowResult[] = new Array(entries.length);
    for (let i = 0; i < entries.length; i++) {
      results[i] = entries[i].toWindowResult();
    }
    this.entryPool.release(entries);
    entries.length = 0;
    return results;
  }

  /** Returns the start of the latest window containing `eventTimeUs`, negative times included. */
  private lastWindowStartUs(eventTimeUs: number): number {
    // One remainder instead of a double modulo: each costs a floating-point call for µs times.
    const remainderUs = eventTimeUs % this.slideUs;
    return eventTimeUs - (remainderUs < 0 ? remainderUs + this.slideUs : remainderUs);
  }
}
