/**
 * Sorting of closed window entries into emission order, the order in which
 * `compareWindowResults` puts their results: window end, key, metric, window start, status.
 */

import { WINDOW_STATUS_COUNT } from "./window-aggregate.js";
import { compareSeriesNames, type SeriesIndex } from "./window-series.js";
import type { WindowEntry } from "./window-state.js";

/** Maximum number of same-end runs the sorter groups; entries in more runs are compared. */
const MAX_RUNS = 64;

/** Maximum ratio of series to a group's entries at which the sorter orders the group by slots. */
const SLOT_SERIES_PER_ENTRY = 16;

/**
 * Sorts the closed entries of one operator into emission order, in place.
 *
 * `WindowState.takeEndingBy` returns entries in runs that share a window end, one run per
 * closed window start and state. So the sorter orders the runs by end, then orders the entries
 * of each end by series rank and status. A group of one start with at least one entry per
 * `SLOT_SERIES_PER_ENTRY` series is placed slot by slot, in O(entries + series). A smaller
 * group is sorted by comparing ranks. Entries are compared throughout when the series are
 * unranked or when they come in more than `MAX_RUNS` runs.
 */
export class WindowEntrySorter {
  /** One slot per (series rank, status), left all `undefined` between calls. */
  private readonly slots: (WindowEntry | undefined)[] = [];
  /** Index of the first entry of each run. */
  private readonly runFirsts: number[] = [];
  /** Run numbers in ascending order of window end. */
  private readonly runOrder: number[] = [];
  /** Entries in emission order, copied back once complete. */
  private readonly ordered: WindowEntry[] = [];

  constructor(private readonly index: SeriesIndex) {}

  /** Sorts `entries` in place. */
  sort(entries: WindowEntry[]): void {
    if (entries.length < 2) {
      return;
    }
    if (!this.index.hasRanksFor(entries.length)) {
      entries.sort(compareByName);
    } else if (!this.sortByEnd(entries)) {
      entries.sort(compareByRank);
    }
  }

  /** Sorts group by group; returns false, leaving `entries` as they were, when it cannot. */
  private sortByEnd(entries: WindowEntry[]): boolean {
    if (!this.findRuns(entries)) {
      return false;
    }
    const firsts = this.runFirsts;
    const order = this.runOrder;
    const ordered = this.ordered;
    let k = 0;
    while (k < order.length) {
      // Gather every run of this end, in input order, then order the group.
      const endUs = entries[firsts[order[k]]].endUs;
      const groupFirst = ordered.length;
      for (; k < order.length && entries[firsts[order[k]]].endUs === endUs; k++) {
        const run = order[k];
        const runEnd = run + 1 < firsts.length ? firsts[run + 1] : entries.length;
        for (let i = firsts[run]; i < runEnd; i++) {
          ordered.push(entries[i]);
        }
      }
      if (!this.orderGroup(ordered, groupFirst)) {
        ordered.length = 0;
        return false;
      }
    }

    for (let i = 0; i < entries.length; i++) {
      entries[i] = ordered[i];
    }
    ordered.length = 0;
    return true;
  }

  /**
   * Fills `runFirsts` and `runOrder`. Returns false when there are more than `MAX_RUNS` runs,
   * where the insertion sort of runs would cost more than comparing entries.
   */
  private findRuns(entries: readonly WindowEntry[]): boolean {
    const firsts = this.runFirsts;
    const order = this.runOrder;
    firsts.length = 0;
    order.length = 0;
    for (let i = 0; i < entries.length; i++) {
      if (i > 0 && entries[i].endUs === entries[i - 1].endUs) {
        continue;
      }
      if (firsts.length === MAX_RUNS) {
        return false;
      }
      // Insert the new run after every run that does not end later, so equal ends keep order.
      const endUs = entries[i].endUs;
      let j = order.length;
      order.push(firsts.length);
      while (j > 0 && entries[firsts[order[j - 1]]].endUs > endUs) {
        order[j] = order[j - 1];
        j -= 1;
      }
      order[j] = firsts.length;
      firsts.push(i);
    }
    return true;
  }

  /**
   * Orders `group` from index `from` on, entries that share one window end. Returns false,
   * leaving `group` as it was, when `placeByRank` cannot place them.
   */
  private orderGroup(group: WindowEntry[], from: number): boolean {
    const size = group.length - from;
    if (size < 2) {
      return true;
    }
    // Reading an empty slot costs far less than one comparison, so slots win well before the
    // group matches the series in number.
    if (size * SLOT_SERIES_PER_ENTRY >= this.index.count) {
      return this.placeByRank(group, from);
    }
    const part = group.splice(from, size);
    part.sort(compareByRank);
    for (const entry of part) {
      group.push(entry);
    }
    return true;
  }

  /**
   * Orders `group` from index `from` on by series rank, then status, giving each entry the slot
   * of its (rank, status) pair. Returns false, leaving `group` as it was, when the entries do
   * not share one window start or two need one slot. Equal ends with different starts occur
   * only where start + size rounds above 2^53 µs.
   */
  private placeByRank(group: WindowEntry[], from: number): boolean {
    const slots = this.slots;
    const slotCount = this.index.count * WINDOW_STATUS_COUNT;
    while (slots.length < slotCount) {
      slots.push(undefined);
    }
    const startUs = group[from].startUs;
    let isPlaced = true;
    for (let i = from; i < group.length; i++) {
      const entry = group[i];
      const slot = entry.series.rank * WINDOW_STATUS_COUNT + entry.statusRank;
      if (entry.startUs !== startUs || slots[slot] !== undefined) {
        isPlaced = false;
        break;
      }
      slots[slot] = entry;
    }

    // Read the slots back in order, emptying each for the next call.
    let next = from;
    for (let slot = 0; slot < slotCount; slot++) {
      const entry = slots[slot];
      if (entry !== undefined) {
        if (isPlaced) {
          group[next] = entry;
          next += 1;
        }
        slots[slot] = undefined;
      }
    }
    return isPlaced;
  }
}

/** Compares as `compareWindowResults` with the series rank in place of key and metric. */
function compareByRank(a: WindowEntry, b: WindowEntry): number {
  if (a.endUs !== b.endUs) {
    return a.endUs - b.endUs;
  }
  if (a.series !== b.series) {
    return a.series.rank - b.series.rank;
  }
  if (a.startUs !== b.startUs) {
    return a.startUs - b.startUs;
  }
  return a.statusRank - b.statusRank;
}

/** Compares as `compareWindowResults` does, on the entries' fields. */
function compareByName(a: WindowEntry, b: WindowEntry): number {
  if (a.endUs !== b.endUs) {
    return a.endUs - b.endUs;
  }
  if (a.series !== b.series) {
    return compareSeriesNames(a.series, b.series);
  }
  if (a.startUs !== b.startUs) {
    return a.startUs - b.startUs;
  }
  return a.statusRank - b.statusRank;
}
