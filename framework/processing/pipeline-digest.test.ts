/**
 * Pins the sha256 of everything a small deterministic run emits: every window result, anomaly,
 * future outlier, count and watermark, in order. A change that alters any of them fails here
 * even where the behaviour tests still pass. When a change is meant to alter results, check the
 * new output by hand before updating a digest.
 */

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { SensorRecord } from "../ingestion/record.js";
import type { AnomalyMethod } from "./anomaly-detector.js";
import { createPipeline, type PipelineStats } from "./pipeline.js";
import type { PipelineSpec } from "./pipeline-spec.js";

const SECOND_US = 1_000_000;
const YEAR_US = 365 * 24 * 3600 * SECOND_US;
// 2024-01-01T00:00:00Z.
const START_US = 1_704_067_200 * SECOND_US;

const DEVICES = 20;
const METRICS = ["CO(GT)", "NO2(GT)"];
const READING_PERIOD_US = 10 * SECOND_US;
const READINGS_PER_DEVICE = 90;

function specWith(method: AnomalyMethod): PipelineSpec {
  return {
    deviceWindow: { sizeUs: 60 * SECOND_US },
    areaWindow: { sizeUs: 180 * SECOND_US, slideUs: 60 * SECOND_US },
    allowedLatenessUs: 30 * SECOND_US,
    maxFutureSkewUs: 600 * SECOND_US,
    anomaly: { method, threshold: 3.5, windowSize: 16, warmup: 4 },
  };
}

/** Areas named so that their string order differs from the device numbering. */
function areaOf(deviceId: string): string {
  return `area-${Number(deviceId.slice("dev-".length)) % 3}`;
}

/**
 * Returns a uniform number in [0, 1) hashed from two integers with murmur3's 32-bit finaliser,
 * so the stream needs no generator state and no floating-point library function.
 */
function unitHash(index: number, salt: number): number {
  let hash = Math.imul(index, 0x9e3779b1) ^ Math.imul(salt + 1, 0x85ebca6b);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 2 ** 32;
}

/**
 * Builds 3,600 readings in arrival order: each device reports both metrics every 10 s at its
 * own phase. About 3% arrive 40 to 300 s late, 2% are null, 0.5% NaN, 1% are spikes, and
 * three carry an event time a year ahead.
 */
function arrivingRecords(): { records: SensorRecord[]; arrivalUs: number[] } {
  const records: SensorRecord[] = [];
  const arrivals: number[] = [];
  for (let reading = 0; reading < READINGS_PER_DEVICE; reading++) {
    for (let device = 0; device < DEVICES; device++) {
      const phaseUs = Math.floor(unitHash(device, 0) * READING_PERIOD_US);
      const readTimeUs = START_US + reading * READING_PERIOD_US + phaseUs;
      for (const metric of METRICS) {
        const i = records.length;
        records.push({
          deviceId: `dev-${device}`,
          metric,
          eventTimeUs: i % 1_201 === 600 ? readTimeUs + YEAR_US : readTimeUs,
          value: readingValue(i, device),
        });
        arrivals.push(readTimeUs + arrivalDelayUs(i));
      }
    }
  }
  const order = Array.from(records.keys()).sort((a, b) => arrivals[a] - arrivals[b] || a - b);
  return { records: order.map((i) => records[i]), arrivalUs: order.map((i) => arrivals[i]) };
}

function readingValue(i: number, device: number): number | null {
  const draw = unitHash(i, 1);
  if (draw < 0.02) {
    return null;
  }
  if (draw < 0.025) {
    return Number.NaN;
  }
  const spike = draw > 0.99 ? 40 : 0;
  return 10 + device + 4 * unitHash(i, 2) + spike;
}

function arrivalDelayUs(i: number): number {
  const delayUs = 20_000 + Math.floor(unitHash(i, 3) * 480_000);
  return unitHash(i, 4) < 0.03 ? delayUs + 40 * SECOND_US + i * 70_000 : delayUs;
}

/** Cuts the stream into batches of the records that arrived in each second, as a 1 s trigger. */
function triggerBatches(): { records: SensorRecord[]; processingTimeUs: number }[] {
  const { records, arrivalUs } = arrivingRecords();
  const batches: { records: SensorRecord[]; processingTimeUs: number }[] = [];
  let first = 0;
  while (first < records.length) {
    const processingTimeUs = (Math.floor(arrivalUs[first] / SECOND_US) + 1) * SECOND_US;
    let end = first;
    while (end < records.length && arrivalUs[end] < processingTimeUs) {
      end++;
    }
    batches.push({ records: records.slice(first, end), processingTimeUs });
    first = end;
  }
  return batches;
}

/** Cuts the stream into batches of `size` records, each run at its last record's arrival. */
function countBatches(size: number): { records: SensorRecord[]; processingTimeUs: number }[] {
  const { records, arrivalUs } = arrivingRecords();
  const batches: { records: SensorRecord[]; processingTimeUs: number }[] = [];
  for (let first = 0; first < records.length; first += size) {
    const end = Math.min(records.length, first + size);
    batches.push({ records: records.slice(first, end), processingTimeUs: arrivalUs[end - 1] });
  }
  return batches;
}

/** Keeps ±Infinity and NaN apart in JSON, which would print all three as null. */
function exactNumbers(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? String(value) : value;
}

/** Runs a pipeline over the batches and returns the sha256 of its output and its stats. */
function runDigest(
  batches: { records: SensorRecord[]; processingTimeUs: number }[],
  method: AnomalyMethod,
): { digest: string; stats: PipelineStats } {
  const pipeline = createPipeline(specWith(method), { areaOf });
  const hash = createHash("sha256");
  for (const batch of batches) {
    const result = pipeline.processBatch(batch.records, batch.processingTimeUs);
    hash.update(`${JSON.stringify(result, exactNumbers)}\n`);
  }
  const last = pipeline.finish(batches[batches.length - 1].processingTimeUs + SECOND_US);
  hash.update(`${JSON.stringify(last, exactNumbers)}\n`);
  const stats = pipeline.stats();
  hash.update(JSON.stringify(stats, exactNumbers));
  return { digest: hash.digest("hex"), stats };
}

describe("Pipeline output digest", () => {
  it("matches the pinned digest in 1 s batches", () => {
    const { digest } = runDigest(triggerBatches(), "robust-z");
    expect(digest).toBe("8db7365566c22b186662bf9d55d2b7ac19a3e11f1f51b9aca0828c9f2ab97293");
  });

  it("matches the pinned digest in 500-record batches", () => {
    const { digest } = runDigest(countBatches(500), "robust-z");
    expect(digest).toBe("e9e46d358e4a2f532236ddb24a9fde4c1f0d2248bcba9eda50912972f7f02c02");
  });

  it("matches the pinned digest with the ewma detector", () => {
    const { digest } = runDigest(triggerBatches(), "ewma");
    expect(digest).toBe("34e26b8552a07c8fb65c48c03e8cb529bba5b1ff20e8839d705072a9d49808b0");
  });

  it("covers every kind of record the digest should pin", () => {
    const { stats } = runDigest(triggerBatches(), "robust-z");
    expect(stats.recordsIn).toBe(DEVICES * METRICS.length * READINGS_PER_DEVICE);
    expect(stats.batches).toBeGreaterThan(stats.recordsIn / 10);
    expect(stats.missing).toBeGreaterThan(0);
    expect(stats.futureOutliers).toBe(3);
    expect(stats.lateDeviceWindow).toBeGreaterThan(0);
    expect(stats.lateAreaWindow).toBeGreaterThan(0);
    expect(stats.anomalies).toBeGreaterThan(0);
  });
});
