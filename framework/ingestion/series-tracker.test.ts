import { describe, expect, it } from "vitest";
import { ReplayStats } from "./replay-stats.js";
import { SeriesTracker } from "./series-tracker.js";

const MINUTE_US = 60_000_000;

/** Feeds minute offsets of one series and returns the counters. */
function track(minutes: number[], metric = "m"): ReplayStats {
  const stats = new ReplayStats();
  const tracker = new SeriesTracker(stats);
  for (const minute of minutes) tracker.observe("d", metric, minute * MINUTE_US);
  return stats;
}

describe("SeriesTracker", () => {
  it("counts a step over twice the grid as a gap", () => {
    expect(track([0, 5, 10, 15, 26]).gaps).toBe(1);
  });

  it("does not count a step of exactly twice the grid", () => {
    expect(track([0, 5, 10, 15, 25]).gaps).toBe(0);
  });

  it("keeps the grid when samples are often skipped", () => {
    // Steps 5, 15, 5, 15, 5, 15, 5: the mode stays 5 min, so every 15-min step is a gap.
    expect(track([0, 5, 20, 25, 40, 45, 60, 65]).gaps).toBe(3);
  });

  it("uses the lower median when no step repeats", () => {
    // Steps 5, 15, 20: the usual step stays 5 min, so both later steps are gaps. The mean of
    // the two middle steps (10 min) would not count the 20-min step.
    expect(track([0, 5, 20, 40]).gaps).toBe(2);
  });

  it("does not judge the first step", () => {
    expect(track([0, 600]).gaps).toBe(0);
  });

  it("counts a non-adjacent duplicate", () => {
    expect(track([0, 5, 10, 0, 5]).duplicateTimestamps).toBe(2);
  });

  it("counts a backward step once", () => {
    expect(track([0, 5, 10, 0, 5]).outOfOrderRecords).toBe(1);
  });

  it("measures the step after a backward jump from the jumped row", () => {
    // 60 -> 1 steps back, then 1 -> 75 is a 74-min step on a 15-min grid.
    expect(track([0, 15, 30, 45, 60, 1, 75]).gaps).toBe(1);
  });

  it("keeps series apart", () => {
    const stats = new ReplayStats();
    const tracker = new SeriesTracker(stats);
    tracker.observe("d", "a", 0);
    tracker.observe("d", "b", 0);
    tracker.observe("e", "a", 0);
    expect(stats.duplicateTimestamps).toBe(0);
  });

  it("forgets timestamps beyond the duplicate horizon", () => {
    const dayMinutes = 24 * 60;
    expect(track([0, dayMinutes + 1, 0]).duplicateTimestamps).toBe(0);
  });
});
