import { describe, expect, it } from "vitest";
import type { SensorRecord } from "../ingestion/record.js";
import { UserInputError } from "../runtime/user-input-error.js";
import { TumblingWindowOperator } from "./tumbling-window.js";

function reading(deviceId: string, eventTimeUs: number, value: number | null): SensorRecord {
  return { deviceId, metric: "temperature", eventTimeUs, value };
}

function createOperator(): TumblingWindowOperator {
  return new TumblingWindowOperator({ sizeUs: 10, keyOf: (record) => record.deviceId });
}

describe("TumblingWindowOperator", () => {
  it("aggregates hand-computed windows exactly", () => {
    const operator = createOperator();
    for (const record of [
      reading("a", 1, 2),
      reading("a", 5, 4),
      reading("a", 9, null),
      reading("b", 3, 5),
      reading("a", 10, 7),
      reading("a", 19, 1),
    ]) {
      operator.add(record, Number.NEGATIVE_INFINITY);
    }

    expect(operator.emitClosed(10)).toEqual([
      {
        key: "a",
        metric: "temperature",
        windowStartUs: 0,
        windowEndUs: 10,
        status: "on-time",
        count: 2,
        missingCount: 1,
        sum: 6,
        mean: 3,
        min: 2,
        max: 4,
      },
      {
        key: "b",
        metric: "temperature",
        windowStartUs: 0,
        windowEndUs: 10,
        status: "on-time",
        count: 1,
        missingCount: 0,
        sum: 5,
        mean: 5,
        min: 5,
        max: 5,
      },
    ]);
    expect(operator.emitClosed(19)).toEqual([]);
    const [second] = operator.emitClosed(20);
    expect(second.windowStartUs).toBe(10);
    expect(second.windowEndUs).toBe(20);
    expect(second.sum).toBe(8);
    expect(second.min).toBe(1);
    expect(second.max).toBe(7);
  });

  it("reports null statistics for all-missing windows", () => {
    const operator = createOperator();
    operator.add(reading("a", 2, null), Number.NEGATIVE_INFINITY);
    operator.add(reading("a", 3, Number.NaN), Number.NEGATIVE_INFINITY);

    const [result] = operator.flush();
    expect(result.count).toBe(0);
    expect(result.missingCount).toBe(2);
    expect(result.sum).toBe(0);
    expect(result.mean).toBeNull();
    expect(result.min).toBeNull();
    expect(result.max).toBeNull();
  });

  it("aligns negative event times to the epoch", () => {
    const operator = createOperator();
    operator.add(reading("a", -3, 1), Number.NEGATIVE_INFINITY);
    operator.add(reading("a", -10, 1), Number.NEGATIVE_INFINITY);

    const results = operator.flush();
    expect(results).toHaveLength(1);
    expect(results[0].windowStartUs).toBe(-10);
    expect(results[0].windowEndUs).toBe(0);
    expect(results[0].count).toBe(2);
  });

  it("emits late records as late updates", () => {
    const operator = createOperator();
    operator.add(reading("a", 1, 2), Number.NEGATIVE_INFINITY);
    operator.emitClosed(10);

    const isLate = operator.add(reading("a", 4, 3), 10);
    const [update] = operator.emitClosed(10);
    expect(isLate).toBe(true);
    expect(update.status).toBe("late");
    expect(update.windowStartUs).toBe(0);
    expect(update.count).toBe(1);
    expect(update.sum).toBe(3);
    expect(operator.stats().lateRecords).toBe(1);
  });

  it("aggregates old records into open windows", () => {
    const operator = createOperator();
    const isLate = operator.add(reading("a", 11, 2), 15);

    expect(isLate).toBe(false);
    expect(operator.emitClosed(15)).toEqual([]);
    expect(operator.flush()[0].status).toBe("on-time");
  });

  it("emits future outliers apart from open windows", () => {
    const operator = createOperator();
    operator.add(reading("a", 5, 1), Number.NEGATIVE_INFINITY);
    operator.addFutureOutlier(reading("a", 1_000_005, 9));

    const results = operator.emitClosed(0);
    expect(results).toHaveLength(1);
    expect(results[0].status).toBe("future-outlier");
    expect(results[0].windowStartUs).toBe(1_000_000);
    expect(results[0].sum).toBe(9);
    expect(operator.stats().openAggregates).toBe(1);
  });

  it("sorts results by window end, then key, then metric", () => {
    const operator = createOperator();
    operator.add(reading("b", 15, 1), Number.NEGATIVE_INFINITY);
    operator.add({ ...reading("b", 5, 1), metric: "humidity" }, Number.NEGATIVE_INFINITY);
    operator.add(reading("b", 5, 1), Number.NEGATIVE_INFINITY);
    operator.add(reading("a", 15, 1), Number.NEGATIVE_INFINITY);
    operator.add(reading("a", 5, 1), Number.NEGATIVE_INFINITY);

    const order = operator.flush().map((r) => `${r.windowEndUs} ${r.key} ${r.metric}`);
    expect(order).toEqual([
      "10 a temperature",
      "10 b humidity",
      "10 b temperature",
      "20 a temperature",
      "20 b temperature",
    ]);
  });

  it("rejects a size that is not a positive integer", () => {
    const create = () => new TumblingWindowOperator({ sizeUs: 0, keyOf: () => "k" });

    expect(create).toThrow(UserInputError);
    expect(create).toThrow(
      "invalid tumbling window options: sizeUs is 0: expected an integer of at least 1",
    );
  });
});
