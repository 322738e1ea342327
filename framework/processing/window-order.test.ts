import { describe, expect, it } from "vitest";
import type { SensorRecord } from "../ingestion/record.js";
import { SlidingWindowOperator } from "./sliding-window.js";
import { compareWindowResults, type WindowResult } from "./window-aggregate.js";

const NO_WATERMARK = Number.NEGATIVE_INFINITY;

function reading(key: string, metric: string, eventTimeUs: number): SensorRecord {
  return { deviceId: key, metric, eventTimeUs, value: 1 };
}

function byDevice(record: SensorRecord): string {
  return record.deviceId;
}

/** Keys whose string order differs from the order they are generated in. */
function shuffledKeys(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `key-${(i * 37) % count}`);
}

/** Returns the pairs of neighbours that `compareWindowResults` does not put strictly in order. */
function misorderedPairs(results: readonly WindowResult[]): [WindowResult, WindowResult][] {
  const pairs: [WindowResult, WindowResult][] = [];
  for (let i = 1; i < results.length; i++) {
    if (compareWindowResults(results[i - 1], results[i]) >= 0) {
      pairs.push([results[i - 1], results[i]]);
    }
  }
  return pairs;
}

describe("WindowEntrySorter", () => {
  it("orders a closing window of many series by name", () => {
    const operator = new SlidingWindowOperator({ sizeUs: 10, slideUs: 10, keyOf: byDevice });
    for (const key of shuffledKeys(200)) {
      operator.add(reading(key, "speed", 3), NO_WATERMARK);
      operator.add(reading(key, "occupancy", 4), NO_WATERMARK);
    }

    const results = operator.emitClosed(10);
    expect(results).toHaveLength(400);
    expect(misorderedPairs(results)).toEqual([]);
  });

  it("orders series added after an earlier emission", () => {
    const operator = new SlidingWindowOperator({ sizeUs: 10, slideUs: 10, keyOf: byDevice });
    for (const key of shuffledKeys(50)) {
      operator.add(reading(key, "speed", 3), NO_WATERMARK);
    }
    operator.emitClosed(10);
    // Keys "a-…" sort before every "key-…" key, so stale ranks would misplace them.
    for (const key of [...shuffledKeys(50), "a-2", "a-1", "zz"]) {
      operator.add(reading(key, "speed", 13), 10);
    }

    const results = operator.emitClosed(20);
    expect(results).toHaveLength(53);
    expect(misorderedPairs(results)).toEqual([]);
  });

  it("orders a few results among many series by name", () => {
    const operator = new SlidingWindowOperator({ sizeUs: 10, slideUs: 10, keyOf: byDevice });
    for (const key of shuffledKeys(100)) {
      operator.add(reading(key, "speed", 103), NO_WATERMARK);
    }
    operator.add(reading("key-7", "speed", 3), NO_WATERMARK);
    operator.add(reading("key-3", "speed", 3), NO_WATERMARK);

    const results = operator.emitClosed(10);
    expect(results.map((r) => r.key)).toEqual(["key-3", "key-7"]);
  });

  it("orders on-time, late and future-outlier results together", () => {
    const operator = new SlidingWindowOperator({ sizeUs: 10, slideUs: 5, keyOf: byDevice });
    const keys = shuffledKeys(40);
    for (const key of keys) {
      operator.add(reading(key, "speed", 12), NO_WATERMARK);
      operator.addFutureOutlier(reading(key, "speed", 17));
    }
    operator.emitClosed(15);
    for (const key of keys) {
      operator.add(reading(key, "speed", 2), 15);
      operator.add(reading(key, "speed", 22), 15);
      operator.addFutureOutlier(reading(key, "speed", 27));
    }

    const results = operator.emitClosed(25);
    const statuses = new Set(results.map((r) => r.status));
    expect(statuses).toEqual(new Set(["on-time", "late", "future-outlier"]));
    expect(misorderedPairs(results)).toEqual([]);
  });

  it("orders late results spread over many windows", () => {
    const operator = new SlidingWindowOperator({ sizeUs: 10, slideUs: 10, keyOf: byDevice });
    operator.add(reading("key-0", "speed", 10_000), NO_WATERMARK);
    operator.emitClosed(10_000);
    // 100 windows, each its own run: more runs than the sorter groups.
    for (const key of shuffledKeys(30)) {
      for (let window = 99; window >= 0; window--) {
        operator.add(reading(key, "speed", window * 10 + 1), 10_000);
      }
    }

    const results = operator.emitClosed(10_000);
    expect(results).toHaveLength(3_000);
    expect(misorderedPairs(results)).toEqual([]);
  });
});
