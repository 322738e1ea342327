import { describe, expect, it } from "vitest";
import { MarkovPredictor } from "../framework/edge/prefetch/markov-predictor.js";
import { NoPredictor } from "../framework/edge/prefetch/predictor.js";
import { runPrefetch, type PrefetchSettings } from "../sim/prefetch-run.js";
import type { CloudRead } from "../sim/sync-workload.js";

const SECOND_US = 1_000_000;
const settings: PrefetchSettings = {
  linkOf: () => ({
    latencyMedianUs: 20_000,
    latencySigma: 0,
    bandwidthMbps: 10,
    lossRate: 0,
    retransmitTimeoutUs: 100_000,
    partitions: [],
  }),
  ttlUs: 5 * SECOND_US,
  depth: 1,
  requestBytes: 40,
  replyBytes: 136,
};

/** Reads a, b, c, d in a loop, one per second: each key comes back after 4 s. */
const reads: CloudRead[] = Array.from({ length: 200 }, (_, i) => ({
  timeUs: i * SECOND_US,
  edge: i % 2,
  deviceId: `d${i % 4}`,
}));

describe("runPrefetch", () => {
  it("serves repeats within the TTL from the cache", () => {
    // A copy fetched at t serves the read at t + 4 s; the one at t + 8 s fetches again.
    const outcome = runPrefetch(new NoPredictor(), reads, settings, 1);
    expect(outcome.hits).toBe(100);
    expect(outcome.prefetches).toBe(0);
  });

  it("turns first reads into hits with a learned route", () => {
    // Each key returns after 4 s, past the TTL; its predecessor is read 1 s before it.
    const long = { ...settings, ttlUs: 2 * SECOND_US };
    const none = runPrefetch(new NoPredictor(), reads, long, 1);
    const markov = runPrefetch(new MarkovPredictor(4), reads, long, 1);
    expect(none.hits).toBe(0);
    expect(markov.hits).toBeGreaterThan(190);
  });

  it("counts prefetches that expire unread as wasted", () => {
    // The next read comes after the TTL, so every prefetch expires first.
    const short = { ...settings, ttlUs: SECOND_US / 10 };
    const outcome = runPrefetch(new MarkovPredictor(4), reads, short, 1);
    expect(outcome.wastedPrefetches).toBe(outcome.prefetches);
    expect(outcome.wastedBytes).toBe(outcome.prefetches * 176);
  });
});
