import { describe, expect, it } from "vitest";
import type { SensorRecord } from "../ingestion/record.js";
import { UserInputError } from "../runtime/user-input-error.js";
import { createPipeline, PIPELINE_OPERATORS, type BatchResult } from "./pipeline.js";
import type { PipelineSpec } from "./pipeline-spec.js";
import { compareWindowResults } from "./window-aggregate.js";

const SECOND_US = 1_000_000;
const YEAR_US = 365 * 24 * 3600 * SECOND_US;
// 2004-03-10T18:00:00Z, the first hour of the UCI air quality trace.
const START_US = 1_078_941_600 * SECOND_US;

const SPEC: PipelineSpec = {
  deviceWindow: { sizeUs: 5 * SECOND_US },
  areaWindow: { sizeUs: 10 * SECOND_US, slideUs: 5 * SECOND_US },
  allowedLatenessUs: 2 * SECOND_US,
  maxFutureSkewUs: 60 * SECOND_US,
  anomaly: { method: "robust-z", threshold: 3.5, windowSize: 64, warmup: 8 },
};

const AREA_OF = (deviceId: string): string => (deviceId.endsWith("-1") ? "north" : "south");

/** Builds one reading per second per device, starting `fromSecond` seconds after START_US. */
function readings(fromSecond: number, seconds: number, devices = ["co-1", "co-2"]): SensorRecord[] {
  const records: SensorRecord[] = [];
  for (let second = fromSecond; second < fromSecond + seconds; second++) {
    for (const deviceId of devices) {
      const value = 2 + Math.sin(second / 7) + (deviceId === "co-1" ? 0 : 1);
      records.push({
        deviceId,
        metric: "CO(GT)",
        eventTimeUs: START_US + second * SECOND_US,
        value,
      });
    }
  }
  return records;
}

function createTestPipeline(spec: PipelineSpec = SPEC) {
  return createPipeline(spec, { areaOf: AREA_OF });
}

describe("Pipeline", () => {
  it("lists its operators in record order", () => {
    expect(createTestPipeline().operators).toEqual(PIPELINE_OPERATORS);
    expect(PIPELINE_OPERATORS).toEqual([
      "validate",
      "watermark",
      "device-window",
      "area-window",
      "anomaly",
    ]);
  });

  it("emits device windows once the watermark passes them", () => {
    const pipeline = createTestPipeline();
    const result = pipeline.processBatch(readings(0, 12), START_US + 12 * SECOND_US);

    // Largest event time 11 s, lateness 2 s: the watermark reaches 9 s and closes [0, 5).
    expect(result.watermarkUs).toBe(Number.NEGATIVE_INFINITY);
    expect(result.nextWatermarkUs).toBe(START_US + 9 * SECOND_US);
    expect(result.deviceWindows.map((w) => [w.key, w.windowStartUs - START_US, w.count])).toEqual([
      ["co-1", 0, 5],
      ["co-2", 0, 5],
    ]);
    expect(result.areaWindows.map((w) => [w.key, w.windowEndUs - START_US])).toEqual([
      ["north", 5 * SECOND_US],
      ["south", 5 * SECOND_US],
    ]);
  });

  it("keeps a far-future row from making rows late", () => {
    const pipeline = createTestPipeline();
    const first = readings(0, 20);
    const outlier: SensorRecord = { ...first[7], eventTimeUs: START_US + 10 * YEAR_US };
    first.splice(13, 0, outlier);
    const firstResult = pipeline.processBatch(first, START_US + 20 * SECOND_US);
    const secondResult = pipeline.processBatch(readings(20, 20), START_US + 40 * SECOND_US);

    expect(firstResult.counts.futureOutliers).toBe(1);
    expect(firstResult.futureOutliers).toEqual([outlier]);
    expect(firstResult.nextWatermarkUs).toBe(START_US + 17 * SECOND_US);
    expect(secondResult.counts.lateDeviceWindow).toBe(0);
    expect(secondResult.counts.lateAreaWindow).toBe(0);
    expect(secondResult.deviceWindows.every((w) => w.status === "on-time")).toBe(true);
    expect(pipeline.stats().futureOutliers).toBe(1);
  });

  it("reports the far-future row as its own result", () => {
    const pipeline = createTestPipeline();
    const first = readings(0, 20);
    first.push({ ...first[0], eventTimeUs: START_US + 10 * YEAR_US, value: 42 });
    const result = pipeline.processBatch(first, START_US + 20 * SECOND_US);

    const outlierWindows = result.deviceWindows.filter((w) => w.status === "future-outlier");
    expect(outlierWindows).toHaveLength(1);
    expect(outlierWindows[0].count).toBe(1);
    expect(outlierWindows[0].sum).toBe(42);
    expect(outlierWindows[0].windowStartUs).toBe(START_US + 10 * YEAR_US);
  });

  it("makes rows late without the guard", () => {
    // The same input with an unbounded skew shows what the guard prevents.
    const pipeline = createTestPipeline({ ...SPEC, maxFutureSkewUs: Number.MAX_SAFE_INTEGER });
    const first = readings(0, 20);
    first.splice(13, 0, { ...first[7], eventTimeUs: START_US + 10 * YEAR_US });
    pipeline.processBatch(first, START_US + 20 * SECOND_US);
    const secondResult = pipeline.processBatch(readings(20, 20), START_US + 40 * SECOND_US);

    expect(secondResult.counts.lateDeviceWindow).toBe(40);
  });

  it("counts and reports late records without losing any", () => {
    const pipeline = createTestPipeline();
    const results: BatchResult[] = [];
    results.push(pipeline.processBatch(readings(0, 10), START_US + 10 * SECOND_US));
    // Seconds 1 and 2 arrive after [0, 5) was emitted; seconds 10 to 14 are on time.
    const stragglers = [...readings(1, 2), ...readings(10, 5)];
    results.push(pipeline.processBatch(stragglers, START_US + 15 * SECOND_US));
    results.push(pipeline.finish(START_US + 20 * SECOND_US));

    const deviceWindows = results.flatMap((r) => r.deviceWindows);
    const lateWindows = deviceWindows.filter((w) => w.status === "late");
    const recordsInWindows = deviceWindows.reduce((n, w) => n + w.count + w.missingCount, 0);
    expect(results[1].counts.lateDeviceWindow).toBe(4);
    expect(lateWindows.map((w) => [w.key, w.windowStartUs - START_US, w.count])).toEqual([
      ["co-1", 0, 2],
      ["co-2", 0, 2],
    ]);
    expect(recordsInWindows).toBe(pipeline.stats().recordsIn);
    expect(pipeline.stats().recordsIn).toBe(20 + 4 + 10);
  });

  it("counts missing values without aggregating them", () => {
    const pipeline = createTestPipeline();
    const records = readings(0, 5, ["co-1"]).map((r, i) => (i === 2 ? { ...r, value: null } : r));
    const batch = pipeline.processBatch(records, START_US + 5 * SECOND_US);
    const [window] = pipeline.finish(START_US + 6 * SECOND_US).deviceWindows;

    const values = records.flatMap((r) => (r.value === null ? [] : [r.value]));
    expect(batch.counts.missing).toBe(1);
    expect(window.count).toBe(4);
    expect(window.missingCount).toBe(1);
    expect(window.sum).toBeCloseTo(
      values.reduce((a, b) => a + b, 0),
      12,
    );
    expect(window.mean).toBeCloseTo(window.sum / 4, 12);
    expect(window.min).toBe(Math.min(...values));
  });

  it("reports an injected spike as an anomaly", () => {
    const pipeline = createTestPipeline();
    const records = readings(0, 40, ["co-1"]);
    records[30] = { ...records[30], value: 50 };
    const result = pipeline.processBatch(records, START_US + 40 * SECOND_US);

    expect(result.anomalies).toHaveLength(1);
    expect(result.anomalies[0].eventTimeUs).toBe(START_US + 30 * SECOND_US);
    expect(result.counts.anomalies).toBe(1);
  });

  it("gives identical results on a second run", () => {
    const run = (): string => {
      const pipeline = createTestPipeline();
      // Shuffled arrival order from a fixed linear congruential sequence.
      let seed = 7;
      const results: BatchResult[] = [];
      for (let batch = 0; batch < 20; batch++) {
        const records = readings(batch * 5, 5, ["co-1", "co-2", "co-3", "co-4"]);
        for (let i = records.length - 1; i > 0; i--) {
          seed = (seed * 48271) % 2147483647;
          const j = seed % (i + 1);
          [records[i], records[j]] = [records[j], records[i]];
        }
        results.push(pipeline.processBatch(records, START_US + (batch + 1) * 5 * SECOND_US));
      }
      results.push(pipeline.finish(START_US + 200 * SECOND_US));
      return JSON.stringify(results);
    };

    const first = run();
    expect(run()).toBe(first);
  });

  it("emits windows sorted by end, then key", () => {
    const pipeline = createTestPipeline();
    const records = readings(0, 30, ["co-2", "co-1", "co-3"]).reverse();
    pipeline.processBatch(records, START_US + 30 * SECOND_US);
    const { areaWindows } = pipeline.finish(START_US + 31 * SECOND_US);

    expect([...areaWindows].sort(compareWindowResults)).toEqual(areaWindows);
    expect(areaWindows.length).toBeGreaterThan(2);
  });

  it("flushes every open window on finish", () => {
    const pipeline = createTestPipeline();
    pipeline.processBatch(readings(0, 12), START_US + 12 * SECOND_US);
    const result = pipeline.finish(START_US + 13 * SECOND_US);

    expect(result.deviceWindows.map((w) => w.windowStartUs - START_US)).toEqual([
      5 * SECOND_US,
      5 * SECOND_US,
      10 * SECOND_US,
      10 * SECOND_US,
    ]);
    expect(() => pipeline.processBatch([], START_US + 14 * SECOND_US)).toThrow(
      "pipeline already finished",
    );
  });

  it("rejects a record with a fractional event time", () => {
    const pipeline = createTestPipeline();
    const record: SensorRecord = { deviceId: "co-1", metric: "CO(GT)", eventTimeUs: 1.5, value: 1 };
    const process = () => pipeline.processBatch([record], START_US);

    expect(process).toThrow(UserInputError);
    expect(process).toThrow(
      'invalid eventTimeUs 1.5 for device "co-1" metric "CO(GT)": ' +
        "expected integer µs since the Unix epoch",
    );
  });
});
