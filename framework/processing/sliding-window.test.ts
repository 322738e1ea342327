import { describe, expect, it } from "vitest";
import type { SensorRecord } from "../ingestion/record.js";
import { UserInputError } from "../runtime/user-input-error.js";
import { SlidingWindowOperator } from "./sliding-window.js";
import { EventTimeWatermark } from "./watermark.js";

const NO_WATERMARK = Number.NEGATIVE_INFINITY;

function reading(eventTimeUs: number, value: number | null, area = "north"): SensorRecord {
  return { deviceId: `sensor-${area}`, metric: "pm10", eventTimeUs, value };
}

function byArea(record: SensorRecord): string {
  return record.deviceId.slice("sensor-".length);
}

describe("SlidingWindowOperator", () => {
  it("adds each record to every overlapping window", () => {
    const operator = new SlidingWindowOperator({ sizeUs: 10, slideUs: 5, keyOf: byArea });
    operator.add(reading(3, 1), NO_WATERMARK);
    operator.add(reading(7, 2), NO_WATERMARK);
    operator.add(reading(12, 4), NO_WATERMARK);

    const rows = operator
      .flush()
      .map((r) => [r.windowStartUs, r.windowEndUs, r.count, r.sum, r.min, r.max]);
    expect(rows).toEqual([
      [-5, 5, 1, 1, 1, 1],
      [0, 10, 2, 3, 1, 2],
      [5, 15, 2, 6, 2, 4],
      [10, 20, 1, 4, 4, 4],
    ]);
  });

  it("handles a size not divisible by the slide", () => {
    const operator = new SlidingWindowOperator({ sizeUs: 10, slideUs: 4, keyOf: byArea });
    operator.add(reading(9, 1), NO_WATERMARK);

    const bounds = operator.flush().map((r) => [r.windowStartUs, r.windowEndUs]);
    expect(bounds).toEqual([
      [0, 10],
      [4, 14],
      [8, 18],
    ]);
  });

  it("emits only windows whose end the watermark reached", () => {
    const operator = new SlidingWindowOperator({ sizeUs: 10, slideUs: 5, keyOf: byArea });
    operator.add(reading(7, 2), NO_WATERMARK);

    const closed = operator.emitClosed(12);
    expect(closed.map((r) => r.windowEndUs)).toEqual([10]);
    expect(operator.stats().openAggregates).toBe(1);
  });

  it("splits a partly late record", () => {
    const operator = new SlidingWindowOperator({ sizeUs: 10, slideUs: 5, keyOf: byArea });
    operator.add(reading(3, 1), NO_WATERMARK);
    operator.emitClosed(10);

    const isLate = operator.add(reading(8, 5), 10);
    const lateUpdates = operator.emitClosed(10);
    const remaining = operator.flush();
    expect(isLate).toBe(true);
    expect(lateUpdates).toHaveLength(1);
    expect(lateUpdates[0].status).toBe("late");
    expect(lateUpdates[0].windowStartUs).toBe(0);
    expect(lateUpdates[0].sum).toBe(5);
    expect(remaining).toHaveLength(1);
    expect(remaining[0].windowStartUs).toBe(5);
    expect(remaining[0].status).toBe("on-time");
    expect(remaining[0].sum).toBe(5);
  });

  it("keeps areas apart", () => {
    const operator = new SlidingWindowOperator({ sizeUs: 10, slideUs: 10, keyOf: byArea });
    operator.add(reading(1, 1, "north"), NO_WATERMARK);
    operator.add(reading(2, 2, "south"), NO_WATERMARK);

    const sums = operator.flush().map((r) => [r.key, r.sum]);
    expect(sums).toEqual([
      ["north", 1],
      ["south", 2],
    ]);
  });

  it("accounts for every record as on time or late", () => {
    // Out-of-order stream: each record is up to 40 µs behind the arrival frontier.
    const operator = new SlidingWindowOperator({ sizeUs: 20, slideUs: 20, keyOf: byArea });
    const watermark = new EventTimeWatermark({ allowedLatenessUs: 10, maxFutureSkewUs: 1000 });
    let seed = 12345;
    let emittedRecords = 0;
    for (let batch = 0; batch < 50; batch++) {
      const records: SensorRecord[] = [];
      for (let i = 0; i < 20; i++) {
        seed = (seed * 48271) % 2147483647;
        records.push(reading(batch * 20 + i - (seed % 41), i % 5 === 0 ? null : i));
      }
      const step = watermark.advance(records, batch * 20 + 20);
      for (const record of records) {
        operator.add(record, step.watermarkUs);
      }
      for (const result of operator.emitClosed(step.nextWatermarkUs)) {
        emittedRecords += result.count + result.missingCount;
      }
    }
    for (const result of operator.flush()) {
      emittedRecords += result.count + result.missingCount;
    }

    const stats = operator.stats();
    expect(stats.lateRecords).toBeGreaterThan(0);
    expect(stats.onTimeRecords + stats.lateRecords).toBe(1000);
    expect(emittedRecords).toBe(1000);
  });

  it("rejects a slide larger than the size", () => {
    const create = () => new SlidingWindowOperator({ sizeUs: 10, slideUs: 20, keyOf: byArea });

    expect(create).toThrow(UserInputError);
    expect(create).toThrow("invalid window options: slideUs is 20: expected at most sizeUs (10)");
  });
});
