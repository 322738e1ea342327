/**
 * Counters for everything a trace replay handles on purpose instead of failing: missing values,
 * skipped rows, duplicate and out-of-order timestamps, gaps, daylight-saving corrections and
 * records released late by the reorder buffer.
 */

/** Names of the counters, in the order `entries()` lists them. */
export const replayCounterNames = [
  "rowsRead",
  "rowsIgnored",
  "rowsExcluded",
  "shortRows",
  "recordsEmitted",
  "missingValues",
  "badRowsSkipped",
  "duplicateTimestamps",
  "outOfOrderRecords",
  "gaps",
  "dstAmbiguousRows",
  "dstNonexistentRows",
  "lateBeyondReorderWindow",
] as const;

/** One counter name. */
export type ReplayCounterName = (typeof replayCounterNames)[number];

/** Integer counters filled by `readTrace` and the replay helpers; every counter starts at 0. */
export class ReplayStats {
  /** Data rows read after the preamble, the header and the ignored rows; bad rows included. */
  rowsRead = 0;
  /** Blank lines, delimiter-only rows, comment rows and declared trailer rows. */
  rowsIgnored = 0;
  /** Long-format rows dropped because their parameter is in the descriptor's exclude list. */
  rowsExcluded = 0;
  /** Rows with fewer fields than the header, accepted because the descriptor allows it. */
  shortRows = 0;
  /** Records yielded by the reader. */
  recordsEmitted = 0;
  /** Records whose value is null: a missing-value marker or a field absent from a short row. */
  missingValues = 0;
  /** Malformed rows skipped because `skipBadRows` was set. */
  badRowsSkipped = 0;
  /** Records whose device, metric and event time equal an earlier record's; both are kept. */
  duplicateTimestamps = 0;
  /** Records whose event time is earlier than the previous record of the same series. */
  outOfOrderRecords = 0;
  /** Steps longer than twice the series' usual interval (see `SeriesTracker`). */
  gaps = 0;
  /** Rows whose local time occurs twice because clocks fell back. */
  dstAmbiguousRows = 0;
  /** Rows whose local time does not exist because clocks sprang forward; shifted by the gap. */
  dstNonexistentRows = 0;
  /** Records that reached the reorder buffer after later records had already been released. */
  lateBeyondReorderWindow = 0;

  /** Lists every counter as a `[name, value]` pair in a fixed order, zeros included. */
  entries(): Array<[ReplayCounterName, number]> {
    return replayCounterNames.map((name) => [name, this[name]]);
  }

  /** Returns every counter as a plain object, zeros included. */
  toJSON(): Record<ReplayCounterName, number> {
    return Object.fromEntries(this.entries()) as Record<ReplayCounterName, number>;
  }
}
