/**
 * The window aggregates of one window operator that share a status: open, late or future
 * outlier. Each aggregate is listed twice. Its series lists it in window start order, so a
 * record finds its windows without a map lookup per window. The state lists it under its
 * window start, so closing windows touches only the closed ones.
 */

import {
  WINDOW_STATUS_RANK,
  WindowAggregate,
  type WindowResult,
  type WindowStatus,
} from "./window-aggregate.js";
import type { WindowSeries } from "./window-series.js";

/** One aggregate with the coordinates it is emitted under; reused through `WindowEntryPool`. */
export class WindowEntry extends WindowAggregate {
  series: WindowSeries;
  // Number initialisers let V8 overwrite these fields in place. A field declared without one
  // starts as undefined, and V8 then stores each double written to it as a new heap number.
  /** Inclusive window start, in µs. */
  startUs = 0;
  /** Exclusive window end, in µs. */
  endUs = 0;
  status: WindowStatus;
  /** `WINDOW_STATUS_RANK` of `status`, compared when sorting entries. */
  statusRank: number;

  constructor(series: WindowSeries, startUs: number, endUs: number, status: WindowStatus) {
    super();
    this.series = series;
    this.startUs = startUs;
    this.endUs = endUs;
    this.status = status;
    this.statusRank = WINDOW_STATUS_RANK[status];
  }

  /** Builds the result row of this entry. */
  toWindowResult(): WindowResult {
    return this.toResult(
      this.series.key,
      this.series.metric,
      this.startUs,
      this.endUs,
      this.status,
    );
  }
}

/**
 * Entries of emitted windows, kept for reuse by the window states of one operator. Once the
 * pool has as many entries as windows close at once, opening a window allocates nothing.
 * Entries live for a window length or more, so without reuse each one would be copied by the
 * scavenges it survives and then promoted to the old generation.
 */
export class WindowEntryPool {
  private readonly spare: WindowEntry[] = [];

  /** Returns an empty entry for one window of a series. */
  take(series: WindowSeries, startUs: number, endUs: number, status: WindowStatus): WindowEntry {
    const entry = this.spare.pop();
    if (entry === undefined) {
      return new WindowEntry(series, startUs, endUs, status);
    }
    entry.reset();
    entry.series = series;
    entry.startUs = startUs;
    entry.endUs = endUs;
    entry.status = status;
    entry.statusRank = WINDOW_STATUS_RANK[status];
    return entry;
  }

  /** Takes back entries whose results have been built; nothing else may still use them. */
  release(entries: readonly WindowEntry[]): void {
    for (const entry of entries) {
      this.spare.push(entry);
    }
  }
}

/** Window aggregates of one status, keyed by series and window start. */
export class WindowState {
  /** Index of this state's window list in `WindowSeries.windowsBySlot`. */
  readonly slot: number;
  /** Distinct window starts held, ascending. */
  private readonly startsUs: number[] = [];
  /** Entries of each start in `startsUs`, at the same index. */
  private readonly entriesByStart: WindowEntry[][] = [];
  /** Emptied entry lists of closed starts, reused so that their capacity is not regrown. */
  private readonly spareLists: WindowEntry[][] = [];
  private entryCount = 0;

  /**
   * @param sizeUs - window length in µs, added to a window start to give its exclusive end
   * @param status - status of the results this state emits; its rank is the state's slot
   * @param pool - source of new entries, shared with the operator's other states
   */
  constructor(
    private readonly sizeUs: number,
    private readonly status: WindowStatus,
    private readonly pool: WindowEntryPool,
  ) {
    this.slot = WINDOW_STATUS_RANK[status];
  }

  /** Number of (window, key, metric) aggregates held. */
  get size(): number {
    return this.entryCount;
  }

  /** Returns the aggregate of one window of a series, creating it if absent. */
  aggregateFor(series: WindowSeries, windowStartUs: number): WindowAggregate {
    const windows = series.windowsBySlot[this.slot];
    const index = firstEntryFrom(windows, windowStartUs);
    if (index < windows.length && windows[index].startUs === windowStartUs) {
      return windows[index];
    }

    const entry = this.pool.take(series, windowStartUs, windowStartUs + this.sizeUs, this.status);
    if (index === windows.length) {
      windows.push(entry);
    } else {
      windows.splice(index, 0, entry);
    }
    this.entriesStartingAt(windowStartUs).push(entry);
    this.entryCount += 1;
    return entry;
  }

  /**
   * Removes every window whose end is at or before `endLimitUs` and appends its entries to
   * `out`, unsorted. Pass `Infinity` to remove all windows. Costs nothing beyond one
   * comparison when no window has closed.
   */
  takeEndingBy(endLimitUs: number, out: WindowEntry[]): void {
    let closedStarts = 0;
    while (
      closedStarts < this.startsUs.length &&
      this.startsUs[closedStarts] + this.sizeUs <= endLimitUs
    ) {
      const entries = this.entriesByStart[closedStarts];
      for (const entry of entries) {
        // Starts close in ascending order, so each entry is the oldest left in its series.
        if (entry.series.windowsBySlot[this.slot].shift() !== entry) {
          throw new Error("window entries of a series must close in window start order");
        }
        out.push(entry);
      }
      this.entryCount -= entries.length;
      entries.length = 0;
      this.spareLists.push(entries);
      closedStarts += 1;
    }
    if (closedStarts > 0) {
      this.startsUs.splice(0, closedStarts);
      this.entriesByStart.splice(0, closedStarts);
    }
  }

  /** Returns the entry list of one window start, creating it if absent. */
  private entriesStartingAt(windowStartUs: number): WindowEntry[] {
    const starts = this.startsUs;
    const newest = starts.length - 1;
    if (newest >= 0 && starts[newest] === windowStartUs) {
      return this.entriesByStart[newest];
    }
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (starts[middle] < windowStartUs) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    if (low < starts.length && starts[low] === windowStartUs) {
      return this.entriesByStart[low];
    }
    const entries = this.spareLists.pop() ?? [];
    starts.splice(low, 0, windowStartUs);
    this.entriesByStart.splice(low, 0, entries);
    return entries;
  }
}

/** Entries a lookup steps back over from the newest before it turns to binary search. */
const BACKWARD_STEPS = 4;

/**
 * Returns the index of the first entry whose start is at or after `windowStartUs`. Records
 * mostly join their series' newest windows, so the search steps back from the newest entry
 * first and bisects only what lies further back.
 */
function firstEntryFrom(windows: readonly WindowEntry[], windowStartUs: number): number {
  let high = windows.length;
  for (let step = 0; step < BACKWARD_STEPS; step++) {
    if (high === 0 || windows[high - 1].startUs < windowStartUs) {
      return high;
    }
    high -= 1;
  }
  let low = 0;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (windows[middle].startUs < windowStartUs) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}
