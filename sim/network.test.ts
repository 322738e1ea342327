import { describe, expect, it } from "vitest";
import { NetworkLink, type LinkConfig } from "./network.js";
import { RandomStreams } from "./random.js";

const quiet: LinkConfig = {
  latencyMedianUs: 10_000,
  latencySigma: 0,
  bandwidthMbps: 8,
  lossRate: 0,
  retransmitTimeoutUs: 200_000,
  partitions: [],
};

describe("NetworkLink", () => {
  it("adds latency and serialisation time", () => {
    const link = new NetworkLink(quiet, new RandomStreams(1).stream("link"));
    // 100 bytes at 8 Mbit/s take 100 µs on the wire.
    expect(link.deliveryUs(1_000, 100)).toBe(1_000 + 100 + 10_000);
  });

  it("holds a message sent during a partition until the link heals", () => {
    const config = { ...quiet, partitions: [{ fromUs: 0, toUs: 5_000_000 }] };
    const link = new NetworkLink(config, new RandomStreams(1).stream("link"));
    expect(link.deliveryUs(2_000_000, 0)).toBe(5_000_000 + 10_000);
    expect(link.stats.heldByPartition).toBe(1);
  });

  it("delivers every message on a lossy link, late by retransmissions", () => {
    const config = { ...quiet, lossRate: 0.5 };
    const link = new NetworkLink(config, new RandomStreams(1).stream("link"));
    const delays = Array.from({ length: 1_000 }, () => link.deliveryUs(0, 0));
    const retried = delays.filter((delayUs) => delayUs > 10_000).length;
    expect(delays).toHaveLength(1_000);
    expect(link.stats.retransmissions).toBeGreaterThan(800);
    expect(retried).toBeGreaterThan(400);
  });

  it("repeats its delays for the same seed", () => {
    const config = { ...quiet, latencySigma: 0.5, lossRate: 0.1 };
    const draw = () => {
      const link = new NetworkLink(config, new RandomStreams(9).stream("uplink"));
      return Array.from({ length: 20 }, (_, i) => link.deliveryUs(i * 1_000, 64));
    };
    expect(draw()).toEqual(draw());
  });
});
