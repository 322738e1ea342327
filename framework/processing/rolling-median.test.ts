import { describe, expect, it } from "vitest";
import { UserInputError } from "../runtime/user-input-error.js";
import { RollingMedianWindow } from "./rolling-median.js";

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const half = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
}

/** Values with many repeats, from a fixed linear congruential sequence. */
function repeatingSequence(length: number): number[] {
  let seed = 2024;
  return Array.from({ length }, () => {
    seed = (seed * 48271) % 2147483647;
    return (seed % 13) - 6;
  });
}

describe("RollingMedianWindow", () => {
  it("returns the median of odd and even counts", () => {
    const window = new RollingMedianWindow(4);
    window.push(5);
    window.push(1);
    window.push(3);
    expect(window.median()).toBe(3);
    window.push(10);
    expect(window.median()).toBe(4);
  });

  it("evicts the oldest value when full", () => {
    const window = new RollingMedianWindow(3);
    for (const value of [100, 1, 2, 3]) {
      window.push(value);
    }

    expect(window.size).toBe(3);
    expect(window.median()).toBe(2);
  });

  it("computes the median absolute deviation by hand", () => {
    // Sorted 1 1 2 2 4 6 9: median 2, deviations 0 0 1 1 2 4 7, MAD 1.
    const window = new RollingMedianWindow(8);
    for (const value of [1, 1, 2, 4, 6, 9, 2]) {
      window.push(value);
    }
    expect(window.median()).toBe(2);
    expect(window.medianAbsoluteDeviation()).toBe(1);

    // Sorted 1 1 2 2 4 6 9 20: median 3, deviations 1 1 1 2 2 3 6 17, MAD 2.
    window.push(20);
    expect(window.median()).toBe(3);
    expect(window.medianAbsoluteDeviation()).toBe(2);
  });

  it("matches brute force for many capacities", () => {
    const values = repeatingSequence(300);
    for (const capacity of [1, 2, 3, 4, 5, 6, 7, 8, 9, 64]) {
      const window = new RollingMedianWindow(capacity);
      for (let i = 0; i < values.length; i++) {
        window.push(values[i]);
        const held = values.slice(Math.max(0, i + 1 - capacity), i + 1);
        const center = medianOf(held);
        const deviations = held.map((v) => Math.abs(v - center));
        const meanDeviation = deviations.reduce((a, b) => a + b, 0) / deviations.length;

        expect(window.median()).toBe(center);
        expect(window.medianAbsoluteDeviation()).toBe(medianOf(deviations));
        expect(window.meanAbsoluteDeviation()).toBeCloseTo(meanDeviation, 12);
      }
    }
  });

  it("returns NaN when empty", () => {
    const window = new RollingMedianWindow(3);

    expect(window.median()).toBeNaN();
    expect(window.medianAbsoluteDeviation()).toBeNaN();
  });

  it("rejects a zero capacity", () => {
    expect(() => new RollingMedianWindow(0)).toThrow(UserInputError);
  });
});
