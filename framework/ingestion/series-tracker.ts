/**
 * Per-series bookkeeping of event times during a replay: duplicates, backward steps and gaps.
 * A series is one device and one metric. Every record is kept; the tracker only counts.
 */
import type { ReplayStats } from "./replay-stats.js";

/** Number of recent positive steps that define a series' usual interval. */
export const STEP_WINDOW_SIZE = 64;

/**
 * How far back in event time duplicates are detected, in microseconds (24 h). Remembering every
 * timestamp of a long trace would grow without bound, so older timestamps are forgotten.
 */
export const DUPLICATE_HORIZON_US = 86_400_000_000;

/** The last `STEP_WINDOW_SIZE` positive steps of a series and how often each value occurs. */
class StepWindow {
  private readonly steps: number[] = [];
  private next = 0;
  private readonly counts = new Map<number, number>();

  get isEmpty(): boolean {
    return this.steps.length === 0;
  }

  push(stepUs: number): void {
    if (this.steps.length === STEP_WINDOW_SIZE) {
      const evicted = this.steps[this.next];
      const count = (this.counts.get(evicted) ?? 0) - 1;
      if (count === 0) this.counts.delete(evicted);
      else this.counts.set(evicted, count);
      this.steps[this.next] = stepUs;
      this.next = (this.next + 1) % STEP_WINDOW_SIZE;
    } else {
      this.steps.push(stepUs);
    }
    this.counts.set(stepUs, (this.counts.get(stepUs) ?? 0) + 1);
  }

  /**
   * Returns the usual step: the most frequent step in the window (the smaller one on a tie) when
   * it occurs at least twice, otherwise the lower median. Gridded loggers skip samples, which
   * shifts the median of their steps upwards, but their mode stays on the grid. Event-based
   * series such as inter-beat intervals rarely repeat a step exactly, so their mode carries no
   * information and the median is used instead. The lower median keeps the first steps of a series, when only two
   * or three are known, from averaging a skipped sample into the usual interval.
   */
  usualStepUs(): number {
    let modeUs = 0;
    let modeCount = 0;
    for (const [stepUs, count] of this.counts) {
      if (count > modeCount || (count === modeCount && stepUs < modeUs)) {
        modeUs = stepUs;
        modeCount = count;
      }
    }
    if (modeCount >= 2) return modeUs;

    const sorted = [...this.steps].sort((a, b) => a - b);
    return sorted[(sorted.length - 1) >> 1];
  }
}

interface SeriesState {
  lastUs: number;
  latestUs: number;
  steps: StepWindow;
  seen: Set<number>;
  /** Timestamps in arrival order, so that the oldest can be forgotten first. */
  seenOrder: number[];
  seenHead: number;
}

/** Counts duplicates, out-of-order records and gaps per series into a `ReplayStats`. */
export class SeriesTracker {
  private readonly series = new Map<string, SeriesState>();

  constructor(private readonly stats: ReplayStats) {}

  /**
   * Records one event time. A step is measured from the previous record of the series, even when
   * that record stepped backwards, so the step after a backward jump can count as a gap.
   */
  observe(deviceId: string, metric: string, eventTimeUs: number): void {
    const key = `${deviceId}\u0000${metric}`;
    const state = this.series.get(key);
    if (state === undefined) {
      this.series.set(key, {
        lastUs: eventTimeUs,
        latestUs: eventTimeUs,
        steps: new StepWindow(),
        seen: new Set([eventTimeUs]),
        seenOrder: [eventTimeUs],
        seenHead: 0,
      });
      return;
    }

    const stepUs = eventTimeUs - state.lastUs;
    if (state.seen.has(eventTimeUs)) this.stats.duplicateTimestamps += 1;
    if (stepUs < 0) this.stats.outOfOrderRecords += 1;
    if (stepUs > 0) {
      if (!state.steps.isEmpty && stepUs > 2 * state.steps.usualStepUs()) this.stats.gaps += 1;
      state.steps.push(stepUs);
    }

    state.lastUs = eventTimeUs;
    state.latestUs = Math.max(state.latestUs, eventTimeUs);
    state.seen.add(eventTimeUs);
    state.seenOrder.push(eventTimeUs);
    this.forgetOldTimestamps(state);
  }

  private forgetOldTimestamps(state: SeriesState): void {
    const horizonUs = state.latestUs - DUPLICATE_HORIZON_US;
    while (state.seenHead < state.seenOrder.length && state.seenOrder[state.seenHead] < horizonUs) {
      state.seen.delete(state.seenOrder[state.seenHead]);
      state.seenHead += 1;
    }
    // Compact once the forgotten prefix dominates, keeping memory proportional to the horizon.
    if (state.seenHead > 1024 && state.seenHead * 2 > state.seenOrder.length) {
      state.seenOrder = state.seenOrder.slice(state.seenHead);
      state.seenHead = 0;
    }
  }
}
