import { describe, expect, it } from "vitest";
import { max, mean, min, variance } from "simple-statistics";
import { RandomStreams } from "./random.js";

function draws(streams: RandomStreams, name: string, count: number): number[] {
  const stream = streams.stream(name);
  return Array.from({ length: count }, () => stream.uniform());
}

describe("RandomStreams", () => {
  it("repeats a stream for the same seed and name", () => {
    expect(draws(new RandomStreams(7), "arrivals", 5)).toEqual(
      draws(new RandomStreams(7), "arrivals", 5),
    );
  });

  it("gives different names different draws", () => {
    const streams = new RandomStreams(7);
    expect(draws(streams, "arrivals", 5)).not.toEqual(draws(streams, "service", 5));
  });

  it("leaves a stream unchanged when another stream is added", () => {
    const alone = new RandomStreams(3);
    const expected = draws(alone, "service", 10);
    const crowded = new RandomStreams(3);
    draws(crowded, "new-component", 1000);
    expect(draws(crowded, "service", 10)).toEqual(expected);
  });

  it("draws uniforms in [0, 1) with mean near one half", () => {
    const values = draws(new RandomStreams(1), "u", 200_000);
    expect(min(values)).toBeGreaterThanOrEqual(0);
    expect(max(values)).toBeLessThan(1);
    expect(mean(values)).toBeCloseTo(0.5, 2);
  });

  it("draws exponentials with the requested mean", () => {
    const stream = new RandomStreams(2).stream("e");
    const values = Array.from({ length: 200_000 }, () => stream.exponential(4));
    expect(mean(values)).toBeCloseTo(0.25, 2);
  });

  it("draws normals with the requested mean and variance", () => {
    const stream = new RandomStreams(2).stream("n");
    const values = Array.from({ length: 200_000 }, () => stream.normal(10, 2));
    expect(mean(values)).toBeCloseTo(10, 1);
    expect(variance(values)).toBeCloseTo(4, 1);
  });

  it("rejects a seed outside 32 bits", () => {
    expect(() => new RandomStreams(2 ** 32)).toThrow("root seed must be an integer in [0, 2^32)");
  });
});
