/**
 * Event-time tumbling windows: back-to-back, non-overlapping windows, so each record belongs
 * to exactly one window.
 */

import type { SensorRecord } from "../ingestion/record.js";
import { integerIssue, throwIfAnyIssue } from "./option-checks.js";
import { SlidingWindowOperator } from "./sliding-window.js";

/** Options of a tumbling window operator. */
export interface TumblingWindowOptions {
  /** Window length in µs, a positive integer; windows start at multiples of it since the epoch. */
  sizeUs: number;
  /** Grouping key of a record, for example its device id; results split further by metric. */
  keyOf: (record: SensorRecord) => string;
}

/**
 * A sliding window operator whose slide equals its size. Lateness, late updates, outlier
 * handling and emission order are those of `SlidingWindowOperator`.
 */
export class TumblingWindowOperator extends SlidingWindowOperator {
  /** @throws UserInputError when `sizeUs` is not a positive integer */
  constructor(options: TumblingWindowOptions) {
    // Checked here so that the message does not mention a slide the caller never set.
    throwIfAnyIssue("tumbling window options", [integerIssue("sizeUs", options.sizeUs, 1)]);
    super({ sizeUs: options.sizeUs, slideUs: options.sizeUs, keyOf: options.keyOf });
  }
}
