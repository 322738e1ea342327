/**
 * The (key, metric) series of one window operator. A series keeps its windows in each window
 * state, so a record needs one series lookup for all its windows. Its rank in (key, metric) order
 * lets emitted windows sort by comparing numbers instead of strings.
 */

import { WINDOW_STATUS_COUNT } from "./window-aggregate.js";
import type { WindowEntry } from "./window-state.js";

/** One (key, metric) series of a window operator and its windows in each state. */
export class WindowSeries {
  /** Position in (key, metric) order among the operator's series, valid while ranked. */
  rank = 0;
  /**
   * The series' windows in each window state, indexed by `WindowState.slot`, which is the rank
   * of the state's status. Each list is sorted by window start.
   */
  readonly windowsBySlot: WindowEntry[][] = [];

  constructor(
    readonly key: string,
    readonly metric: string,
  ) {
    for (let slot = 0; slot < WINDOW_STATUS_COUNT; slot++) {
      this.windowsBySlot.push([]);
    }
  }
}

/**
 * Every series of one window operator, found by key, then metric. Ranks go stale when a series
 * is added, and `hasRanksFor` recomputes them.
 */
export class SeriesIndex {
  private readonly byKey = new Map<string, Map<string, WindowSeries>>();
  private readonly series: WindowSeries[] = [];
  private isRanked = true;
  /** Items sorted by name since the ranks went stale. */
  private itemsSortedByName = 0;

  /** Number of series. */
  get count(): number {
    return this.series.length;
  }

  /** Returns the series of `key` and `metric`, creating it if absent. */
  seriesOf(key: string, metric: string): WindowSeries {
    let byMetric = this.byKey.get(key);
    if (byMetric === undefined) {
      byMetric = new Map();
      this.byKey.set(key, byMetric);
    }
    let series = byMetric.get(metric);
    if (series === undefined) {
      series = new WindowSeries(key, metric);
      byMetric.set(metric, series);
      this.series.push(series);
      this.isRanked = false;
    }
    return series;
  }

  /**
   * Returns whether every series' rank is valid, ranking them first when that pays off for
   * sorting `itemCount` windows. Ranking sorts all series by name, so while ranks are stale it
   * runs only once the items to sort, these and those sorted by name before, number at least
   * an eighth of the series. Until then the caller sorts by name, which costs less, and a
   * stream that keeps adding series spends at most a constant factor more on ranking.
   */
  hasRanksFor(itemCount: number): boolean {
    if (this.isRanked) {
      return true;
    }
    this.itemsSortedByName += itemCount;
    if (this.itemsSortedByName * 8 < this.series.length) {
      return false;
    }
    this.series.sort(compareSeriesNames);
    for (let i = 0; i < this.series.length; i++) {
      this.series[i].rank = i;
    }
    this.isRanked = true;
    this.itemsSortedByName = 0;
    return true;
  }
}

/**
 * Orders series by key, then metric, comparing UTF-16 code units as `compareWindowResults`
 * does.
 */
export function compareSeriesNames(a: WindowSeries, b: WindowSeries): number {
  if (a.key !== b.key) {
    return a.key < b.key ? -1 : 1;
  }
  if (a.metric !== b.metric) {
    return a.metric < b.metric ? -1 : 1;
  }
  return 0;
}
