import { describe, expect, it } from "vitest";
import type { SensorRecord } from "../ingestion/record.js";
import { UserInputError } from "../runtime/user-input-error.js";
import {
  AnomalyDetector,
  type AnomalyDetectorOptions,
  type AnomalyEvent,
} from "./anomaly-detector.js";

const SECOND_US = 1_000_000;

/** Sine of period 50 samples around 20 with amplitude 10, one sample per second. */
function sineSeries(length: number): SensorRecord[] {
  return Array.from({ length }, (_, i) => ({
    deviceId: "valve-1",
    metric: "pressure",
    eventTimeUs: i * SECOND_US,
    value: 20 + 10 * Math.sin((2 * Math.PI * i) / 50),
  }));
}

function detectAll(options: AnomalyDetectorOptions, records: SensorRecord[]): AnomalyEvent[] {
  const detector = new AnomalyDetector(options);
  return records.map((r) => detector.observe(r)).filter((e): e is AnomalyEvent => e !== null);
}

const ROBUST_Z: AnomalyDetectorOptions = {
  method: "robust-z",
  threshold: 3.5,
  windowSize: 64,
  warmup: 16,
};
const EWMA: AnomalyDetectorOptions = { method: "ewma", threshold: 4, windowSize: 30, warmup: 16 };

describe("AnomalyDetector", () => {
  for (const options of [ROBUST_Z, EWMA]) {
    it(`flags an injected spike with ${options.method}`, () => {
      const records = sineSeries(400);
      records[300] = { ...records[300], value: 80 };
      const events = detectAll(options, records);

      expect(events).toHaveLength(1);
      expect(events[0].eventTimeUs).toBe(300 * SECOND_US);
      expect(events[0].value).toBe(80);
      expect(events[0].score).toBeGreaterThan(options.threshold);
    });

    it(`leaves a clean sine unflagged with ${options.method}`, () => {
      expect(detectAll(options, sineSeries(1000))).toEqual([]);
    });
  }

  it("computes the modified z-score by hand", () => {
    // History 1 2 3 4 5: median 3, MAD 1, so 13 scores 0.6745 * 10 / 1.
    const detector = new AnomalyDetector({ ...ROBUST_Z, warmup: 5 });
    for (const value of [1, 2, 3, 4, 5]) {
      detector.observe({ deviceId: "d", metric: "m", eventTimeUs: value, value });
    }
    const event = detector.observe({ deviceId: "d", metric: "m", eventTimeUs: 6, value: 13 });

    expect(event?.score).toBeCloseTo(6.745, 12);
  });

  it("scores nothing before the warm-up", () => {
    const records = sineSeries(20).map((r, i) => ({ ...r, value: i % 2 === 0 ? 0 : 1000 }));

    expect(detectAll({ ...ROBUST_Z, warmup: 20 }, records)).toEqual([]);
  });

  it("skips and counts missing values", () => {
    const records = sineSeries(100);
    records[40] = { ...records[40], value: null };
    records[41] = { ...records[41], value: Number.NaN };
    const detector = new AnomalyDetector(ROBUST_Z);
    const events = records.map((r) => detector.observe(r)).filter((e) => e !== null);

    expect(events).toEqual([]);
    expect(detector.stats().missing).toBe(2);
    expect(detector.stats().scored).toBe(100 - 2 - ROBUST_Z.warmup);
  });

  it("keeps series of different devices apart", () => {
    const detector = new AnomalyDetector({ ...ROBUST_Z, warmup: 5 });
    for (let i = 0; i < 10; i++) {
      detector.observe({ deviceId: "low", metric: "m", eventTimeUs: i, value: 1 + (i % 3) });
      detector.observe({ deviceId: "high", metric: "m", eventTimeUs: i, value: 100 + (i % 3) });
    }

    expect(detector.stats().series).toBe(2);
    expect(detector.stats().anomalies).toBe(0);
  });

  it("counts a series once it has a value", () => {
    const detector = new AnomalyDetector(ROBUST_Z);
    detector.observe({ deviceId: "d", metric: "m", eventTimeUs: 0, value: null });
    expect(detector.stats().series).toBe(0);

    detector.observe({ deviceId: "d", metric: "m", eventTimeUs: 1, value: 3 });
    detector.observe({ deviceId: "d", metric: "m", eventTimeUs: 2, value: 4 });
    expect(detector.stats().series).toBe(1);
  });

  it("scores a change after a flat window as infinite", () => {
    const detector = new AnomalyDetector({ ...ROBUST_Z, warmup: 5 });
    for (let i = 0; i < 5; i++) {
      detector.observe({ deviceId: "d", metric: "m", eventTimeUs: i, value: 7 });
    }
    const event = detector.observe({ deviceId: "d", metric: "m", eventTimeUs: 5, value: 6 });

    expect(event?.score).toBe(Number.NEGATIVE_INFINITY);
  });

  it("falls back to mean deviation at zero MAD", () => {
    // History 5 5 5 5 9: median 5, MAD 0, mean absolute deviation 0.8.
    const detector = new AnomalyDetector({ ...ROBUST_Z, warmup: 5, threshold: 1 });
    for (const value of [5, 5, 5, 5, 9]) {
      detector.observe({ deviceId: "d", metric: "m", eventTimeUs: value, value });
    }
    const event = detector.observe({ deviceId: "d", metric: "m", eventTimeUs: 10, value: 7 });

    expect(event?.score).toBeCloseTo(2 / (Math.sqrt(Math.PI / 2) * 0.8), 12);
  });

  it("gives the same events on a second run", () => {
    const records = sineSeries(500);
    records[123] = { ...records[123], value: -40 };
    records[321] = { ...records[321], value: 75 };

    expect(detectAll(EWMA, records)).toEqual(detectAll(EWMA, records));
  });

  it("rejects an unknown method and a zero warm-up together", () => {
    const create = () => new AnomalyDetector({ ...ROBUST_Z, method: "zscore" as never, warmup: 0 });

    expect(create).toThrow(UserInputError);
    expect(create).toThrow(
      "invalid anomaly detector options: " +
        'method is "zscore": expected one of "robust-z", "ewma"; ' +
        "warmup is 0: expected an integer of at least 1",
    );
  });
});
