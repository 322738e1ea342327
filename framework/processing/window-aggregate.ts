/**
 * The running aggregate of one event-time window and key, and the result row a window operator
 * emits for it. An aggregate stores five numbers, never the values themselves.
 */

/**
 * Reason a result was emitted. `on-time` results close a window once the watermark reaches its
 * end. `late` results hold records that arrived after their window had been emitted.
 * `future-outlier` results hold records that the watermark guard set aside because their event
 * time lies implausibly far ahead.
 */
export type WindowStatus = "on-time" | "late" | "future-outlier";

/** One emitted window aggregate for one key and metric. */
export interface WindowResult {
  /** Grouping key, for example a device id or an area name. */
  key: string;
  /** Series name of the aggregated records. */
  metric: string;
  /** Inclusive window start, in µs since the Unix epoch. */
  windowStartUs: number;
  /** Exclusive window end, in µs since the Unix epoch. */
  windowEndUs: number;
  /** Reason the result was emitted. */
  status: WindowStatus;
  /** Number of aggregated (non-missing) values. */
  count: number;
  /** Number of records whose value was missing; they are counted here and nowhere else. */
  missingCount: number;
  /** Sum of the aggregated values; 0 when `count` is 0. */
  sum: number;
  /** Mean of the aggregated values; null when `count` is 0. */
  mean: number | null;
  /** Smallest aggregated value; null when `count` is 0. */
  min: number | null;
  /** Largest aggregated value; null when `count` is 0. */
  max: number | null;
}

/** Count, missing count, sum, min and max of the values added so far. */
export class WindowAggregate {
  count = 0;
  missingCount = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  /**
   * Adds one reading. Null and non-finite values (NaN, ±Infinity) count as missing and leave
   * the sum, min and max untouched.
   */
  add(value: number | null): void {
    if (value === null || !Number.isFinite(value)) {
      this.missingCount += 1;
      return;
    }
    this.count += 1;
    this.sum += value;
    if (value < this.min) {
      this.min = value;
    }
    if (value > this.max) {
      this.max = value;
    }
  }

  /** Empties the aggregate, as if no reading had been added. */
  reset(): void {
    this.count = 0;
    this.missingCount = 0;
    this.sum = 0;
    this.min = Number.POSITIVE_INFINITY;
    this.max = Number.NEGATIVE_INFINITY;
  }

  /** Builds the result row for this aggregate. */
  toResult(
    key: string,
    metric: string,
    windowStartUs: number,
    windowEndUs: number,
    status: WindowStatus,
  ): WindowResult {
    const hasValues = this.count > 0;
    return {
      key,
      metric,
      windowStartUs,
      windowEndUs,
      status,
      count: this.count,
      missingCount: this.missingCount,
      sum: this.sum,
      mean: hasValues ? this.sum / this.count : null,
      min: hasValues ? this.min : null,
      max: hasValues ? this.max : null,
    };
  }
}

/** Position of each status in emission order, which breaks ties last in `compareWindowResults`. */
export const WINDOW_STATUS_RANK: Readonly<Record<WindowStatus, number>> = {
  "on-time": 0,
  late: 1,
  "future-outlier": 2,
};

/** Number of distinct `WindowStatus` values. */
export const WINDOW_STATUS_COUNT = Object.keys(WINDOW_STATUS_RANK).length;

/**
 * Orders results by window end, then key, then metric, then window start, then status. Strings
 * compare by UTF-16 code unit, so the order does not depend on the locale.
 */
export function compareWindowResults(a: WindowResult, b: WindowResult): number {
  if (a.windowEndUs !== b.windowEndUs) {
    return a.windowEndUs - b.windowEndUs;
  }
  if (a.key !== b.key) {
    return a.key < b.key ? -1 : 1;
  }
  if (a.metric !== b.metric) {
    return a.metric < b.metric ? -1 : 1;
  }
  if (a.windowStartUs !== b.windowStartUs) {
    return a.windowStartUs - b.windowStartUs;
  }
  return WINDOW_STATUS_RANK[a.status] - WINDOW_STATUS_RANK[b.status];
}
