/**
 * Open window aggregates of one window operator. Lookups go key → metric → window start, so a
 * record costs two string lookups however many windows it joins. Each aggregate is also listed
 * under its window start, so closing a window touches only that window's aggregates.
 */

import { WindowAggregate, type WindowResult, type WindowStatus } from "./window-aggregate.js";

/** One aggregate with the coordinates it is emitted under. */
export interface WindowEntry {
  readonly key: string;
  readonly metric: string;
  readonly aggregate: WindowAggregate;
  /** The series' map from window start to entry, from which the entry is removed on close. */
  readonly seriesWindows: Map<number, WindowEntry>;
}

/** Window aggregates keyed by grouping key, metric and window start. */
export class WindowState {
  private readonly series = new Map<string, Map<string, Map<number, WindowEntry>>>();
  private readonly entriesByStart = new Map<number, WindowEntry[]>();
  private entryCount = 0;

  /**
   * @param sizeUs - window length in µs, added to a window start to give its exclusive end
   */
  constructor(private readonly sizeUs: number) {}

  /** Number of (window, key, metric) aggregates held. */
  get size(): number {
    return this.entryCount;
  }

  /**
   * Returns the window map of one (key, metric) series, creating it if absent. Callers adding
   * a record to several windows look the series up once and pass the map to `aggregateIn`.
   */
  windowsOf(key: string, metric: string): Map<number, WindowEntry> {
    let byMetric = this.series.get(key);
    if (byMetric === undefined) {
      byMetric = new Map();
      this.series.set(key, byMetric);
    }
    let windows = byMetric.get(metric);
    if (windows === undefined) {
      windows = new Map();
      byMetric.set(metric, windows);
    }
    return windows;
  }

  /** Returns the aggregate of one window in a series from `windowsOf`, creating it if absent. */
  aggregateIn(
    seriesWindows: Map<number, WindowEntry>,
    key: string,
    metric: string,
    windowStartUs: number,
  ): WindowAggregate {
    const existing = seriesWindows.get(windowStartUs);
    if (existing !== undefined) {
      return existing.aggregate;
    }
    const entry: WindowEntry = { key, metric, aggregate: new WindowAggregate(), seriesWindows };
    seriesWindows.set(windowStartUs, entry);
    let entries = this.entriesByStart.get(windowStartUs);
    if (entries === undefined) {
      entries = [];
      this.entriesByStart.set(windowStartUs, entries);
    }
    entries.push(entry);
    this.entryCount += 1;
    return entry.aggregate;
  }

  /** Returns the aggregate of one window and series, creating it if absent. */
  aggregateFor(windowStartUs: number, key: string, metric: string): WindowAggregate {
    return this.aggregateIn(this.windowsOf(key, metric), key, metric, windowStartUs);
  }

  /**
   * Removes every window whose end is at or before `endLimitUs` and appends its results with
   * `status` to `out`, unsorted. Pass `Infinity` to remove all windows. Series maps left empty
   * stay allocated, because a series usually reappears in the next window.
   */
  drainEndingBy(endLimitUs: number, status: WindowStatus, out: WindowResult[]): void {
    for (const [windowStartUs, entries] of this.entriesByStart) {
      const windowEndUs = windowStartUs + this.sizeUs;
      if (windowEndUs > endLimitUs) {
        continue;
      }
      for (const entry of entries) {
        out.push(
          entry.aggregate.toResult(entry.key, entry.metric, windowStartUs, windowEndUs, status),
        );
        entry.seriesWindows.delete(windowStartUs);
      }
      this.entryCount -= entries.length;
      // Deleting the entry being visited is safe in a Map iteration.
      this.entriesByStart.delete(windowStartUs);
    }
  }
}
