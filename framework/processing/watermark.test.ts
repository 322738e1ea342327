import { describe, expect, it } from "vitest";
import type { SensorRecord } from "../ingestion/record.js";
import { UserInputError } from "../runtime/user-input-error.js";
import { EventTimeWatermark, NO_WATERMARK_US } from "./watermark.js";

const SECOND_US = 1_000_000;
const YEAR_US = 365 * 24 * 3600 * SECOND_US;
// 2015-09-11T00:00:00Z
const START_US = 1_441_929_600 * SECOND_US;

function readingsEverySecond(fromUs: number, count: number): SensorRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    deviceId: "sensor-1",
    metric: "speed",
    eventTimeUs: fromUs + i * SECOND_US,
    value: 60,
  }));
}

function createWatermark(): EventTimeWatermark {
  return new EventTimeWatermark({
    allowedLatenessUs: 5 * SECOND_US,
    maxFutureSkewUs: 60 * SECOND_US,
  });
}

describe("EventTimeWatermark", () => {
  it("starts with no watermark", () => {
    expect(createWatermark().currentUs).toBe(NO_WATERMARK_US);
  });

  it("applies to a batch the watermark of earlier batches", () => {
    const watermark = createWatermark();
    const first = watermark.advance(readingsEverySecond(START_US, 10), START_US + 10 * SECOND_US);
    const second = watermark.advance(
      readingsEverySecond(START_US + 10 * SECOND_US, 10),
      START_US + 20 * SECOND_US,
    );

    expect(first.watermarkUs).toBe(NO_WATERMARK_US);
    expect(first.nextWatermarkUs).toBe(START_US + 4 * SECOND_US);
    expect(second.watermarkUs).toBe(first.nextWatermarkUs);
    expect(second.nextWatermarkUs).toBe(START_US + 14 * SECOND_US);
  });

  it("never moves backwards", () => {
    const watermark = createWatermark();
    watermark.advance(
      readingsEverySecond(START_US + 100 * SECOND_US, 1),
      START_US + 101 * SECOND_US,
    );
    const step = watermark.advance(readingsEverySecond(START_US, 10), START_US + 102 * SECOND_US);

    expect(step.nextWatermarkUs).toBe(START_US + 95 * SECOND_US);
  });

  it("keeps the watermark through an empty batch", () => {
    const watermark = createWatermark();
    watermark.advance(readingsEverySecond(START_US, 10), START_US + 10 * SECOND_US);
    const step = watermark.advance([], START_US + 20 * SECOND_US);

    expect(step.nextWatermarkUs).toBe(START_US + 4 * SECOND_US);
    expect(step.futureOutlierCount).toBe(0);
  });

  it("flags a row ahead of the processing time", () => {
    const records = readingsEverySecond(START_US, 10);
    records.splice(4, 0, { ...records[0], eventTimeUs: START_US + 10 * YEAR_US });
    const watermark = createWatermark();
    const step = watermark.advance(records, START_US + 10 * SECOND_US);

    expect(step.futureOutlierCount).toBe(1);
    expect(Array.from(step.isFutureOutlier).indexOf(1)).toBe(4);
    expect(step.nextWatermarkUs).toBe(START_US + 4 * SECOND_US);
    expect(watermark.maxEventTimeUs).toBe(START_US + 9 * SECOND_US);
  });

  it("flags a far-future row during a replay", () => {
    // Replay of an old trace: processing time is years after the event times.
    const records = readingsEverySecond(START_US, 40);
    records.splice(20, 0, { ...records[0], eventTimeUs: START_US + 2 * YEAR_US });
    const step = createWatermark().advance(records, START_US + 9 * YEAR_US);

    expect(step.futureOutlierCount).toBe(1);
    expect(step.isFutureOutlier[20]).toBe(1);
    expect(step.nextWatermarkUs).toBe(START_US + 34 * SECOND_US);
  });

  it("accepts a batch that jumps forward together", () => {
    // A gap in the trace: the whole next batch lies a day ahead of the last one.
    const watermark = createWatermark();
    const replayTimeUs = START_US + 9 * YEAR_US;
    watermark.advance(readingsEverySecond(START_US, 10), replayTimeUs);
    const dayLaterUs = START_US + 24 * 3600 * SECOND_US;
    const step = watermark.advance(readingsEverySecond(dayLaterUs, 10), replayTimeUs);

    expect(step.futureOutlierCount).toBe(0);
    expect(step.nextWatermarkUs).toBe(dayLaterUs + 4 * SECOND_US);
  });

  it("accepts a batch spread evenly over a long backlog", () => {
    // One hour of queued records in a single batch of a replay, so only the fence applies.
    const records = readingsEverySecond(START_US, 3600);
    const step = createWatermark().advance(records, START_US + 9 * YEAR_US);

    expect(step.futureOutlierCount).toBe(0);
  });

  it("rejects a negative allowed lateness", () => {
    const create = () => new EventTimeWatermark({ allowedLatenessUs: -1, maxFutureSkewUs: 0 });

    expect(create).toThrow(UserInputError);
    expect(create).toThrow(
      "invalid watermark options: allowedLatenessUs is -1: expected a non-negative integer",
    );
  });
});

describe("EventTimeWatermark.advanceInto", () => {
  it("writes the flags advance returns into a reused array", () => {
    const records = readingsEverySecond(START_US, 10);
    records.splice(4, 0, { ...records[0], eventTimeUs: START_US + 10 * YEAR_US });
    const step = createWatermark().advance(records, START_US + 10 * SECOND_US);
    const watermark = createWatermark();
    const flags = new Uint8Array(16).fill(1);

    const count = watermark.advanceInto(records, START_US + 10 * SECOND_US, flags);
    expect(count).toBe(step.futureOutlierCount);
    expect(Array.from(flags.subarray(0, records.length))).toEqual(Array.from(step.isFutureOutlier));
    expect(Array.from(flags.subarray(records.length))).toEqual([1, 1, 1, 1, 1]);
    expect(watermark.currentUs).toBe(step.nextWatermarkUs);
  });

  it("finds the same fence in any arrival order", () => {
    // Seconds 0 to count - 1 plus one far-future row: q1 and q3, at ranks count / 4 and
    // 3 count / 4 rounded down, fall on readings, so the fence is known in seconds. Reversed,
    // the batches of 64 and 200 readings exceed the insertion sort's budget of moves.
    for (const count of [8, 31, 32, 64, 200]) {
      for (const isReversed of [false, true]) {
        const records = readingsEverySecond(START_US, count);
        if (isReversed) {
          records.reverse();
        }
        records.splice(count >> 1, 0, { ...records[0], eventTimeUs: START_US + YEAR_US });
        const step = createWatermark().advance(records, START_US + 9 * YEAR_US);
        const q1 = Math.floor(count / 4);
        const q3 = Math.floor((3 * count) / 4);

        expect(step.frontierUs).toBe(START_US + (q3 + 3 * (q3 - q1)) * SECOND_US);
        expect(step.futureOutlierCount).toBe(1);
      }
    }
  });

  it("rejects a flag array shorter than the batch", () => {
    const advance = () =>
      createWatermark().advanceInto(
        readingsEverySecond(START_US, 10),
        START_US + 10 * SECOND_US,
        new Uint8Array(9),
      );

    expect(advance).toThrow("future-outlier flags hold 9 entries: expected at least 10");
  });
});
