import { describe, expect, it } from "vitest";
import type { SensorRecord } from "./record.js";
import {
  fanOut,
  parseVirtualDeviceId,
  reorderByEventTime,
  speedUp,
  traceTimeUs,
  type UniformSource,
} from "./replay.js";
import { ReplayStats } from "./replay-stats.js";

function record(eventTimeUs: number, value: number, deviceId = "d"): SensorRecord {
  return { deviceId, metric: "m", eventTimeUs, value };
}

async function* fromArray(records: SensorRecord[]): AsyncGenerator<SensorRecord> {
  yield* records;
}

async function collect(source: AsyncIterable<SensorRecord>): Promise<SensorRecord[]> {
  const records: SensorRecord[] = [];
  for await (const item of source) records.push(item);
  return records;
}

/** A small seeded generator (mulberry32) so the tests do not depend on the simulator's. */
function seeded(seed: number): UniformSource {
  let state = seed >>> 0;
  return {
    uniform() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

const isNonDecreasing = (records: SensorRecord[]): boolean =>
  records.every((item, i) => i === 0 || records[i - 1].eventTimeUs <= item.eventTimeUs);

describe("reorderByEventTime", () => {
  it("restores order within the window", async () => {
    const input = [0, 3, 1, 2, 5, 4].map((time) => record(time, time));
    const output = await collect(
      reorderByEventTime(fromArray(input), { reorderWindowUs: 3, stats: new ReplayStats() }),
    );
    expect(output.map((item) => item.eventTimeUs)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("keeps input order for equal times", async () => {
    const input = [record(5, 1), record(2, 2), record(5, 3), record(2, 4)];
    const output = await collect(
      reorderByEventTime(fromArray(input), { reorderWindowUs: 10, stats: new ReplayStats() }),
    );
    expect(output.map((item) => item.value)).toEqual([2, 4, 1, 3]);
  });

  it("yields a record later than the window anyway", async () => {
    const input = [10, 20, 30, 5].map((time) => record(time, time));
    const output = await collect(
      reorderByEventTime(fromArray(input), { reorderWindowUs: 5, stats: new ReplayStats() }),
    );
    expect(output.map((item) => item.eventTimeUs)).toEqual([10, 20, 5, 30]);
  });

  it("counts a record later than the window", async () => {
    const stats = new ReplayStats();
    const input = [10, 20, 30, 5].map((time) => record(time, time));
    await collect(reorderByEventTime(fromArray(input), { reorderWindowUs: 5, stats }));
    expect(stats.lateBeyondReorderWindow).toBe(1);
  });

  it("rejects a negative window", async () => {
    const reorder = reorderByEventTime(fromArray([]), {
      reorderWindowUs: -1,
      stats: new ReplayStats(),
    });
    await expect(collect(reorder)).rejects.toThrow(
      "invalid reorderWindowUs -1: expected an integer of at least 0",
    );
  });
});

describe("fanOut", () => {
  const source = () => fromArray([0, 1000, 2000, 3000].map((time) => record(time, time, "pump")));

  it("names copies with a tilde and the copy number", async () => {
    const options = { devices: 3, spanUs: 300, jitterUs: 0, rng: seeded(1) };
    const output = await collect(fanOut(source(), options));
    expect(new Set(output.map((item) => item.deviceId))).toEqual(
      new Set(["pump~0", "pump~1", "pump~2"]),
    );
  });

  it("adds k * span / N to copy k", async () => {
    const options = { devices: 3, spanUs: 300, jitterUs: 0, rng: seeded(1) };
    const output = await collect(fanOut(source(), options));
    const firstTimes = ["pump~0", "pump~1", "pump~2"].map(
      (id) => output.find((item) => item.deviceId === id)!.eventTimeUs,
    );
    expect(firstTimes).toEqual([0, 100, 200]);
  });

  it("keeps the original times for copy 0", async () => {
    const options = { devices: 4, spanUs: 400, jitterUs: 50, rng: seeded(1) };
    const output = await collect(fanOut(source(), options));
    const copy0 = output.filter((item) => item.deviceId === "pump~0");
    expect(copy0.map((item) => item.eventTimeUs)).toEqual([0, 1000, 2000, 3000]);
  });

  it("merges copies in event-time order", async () => {
    const options = { devices: 8, spanUs: 2500, jitterUs: 900, rng: seeded(7) };
    const output = await collect(fanOut(source(), options));
    expect(isNonDecreasing(output)).toBe(true);
  });

  it("emits every record of every copy", async () => {
    const options = { devices: 8, spanUs: 2500, jitterUs: 900, rng: seeded(7) };
    expect(await collect(fanOut(source(), options))).toHaveLength(32);
  });

  it("gives the same stream for the same seed", async () => {
    const run = () =>
      collect(fanOut(source(), { devices: 5, spanUs: 500, jitterUs: 400, rng: seeded(42) }));
    expect(await run()).toEqual(await run());
  });

  it("gives another stream for another seed", async () => {
    const run = (seed: number) =>
      collect(fanOut(source(), { devices: 5, spanUs: 500, jitterUs: 400, rng: seeded(seed) }));
    expect(await run(42)).not.toEqual(await run(43));
  });

  it("maps virtual times back to trace times within the jitter", async () => {
    const options = { devices: 5, spanUs: 500, jitterUs: 40, rng: seeded(3) };
    const output = await collect(fanOut(source(), options));
    const errorsUs = output.map((item) => {
      const { copy } = parseVirtualDeviceId(item.deviceId)!;
      return traceTimeUs(item.eventTimeUs, copy, options) - (item.value as number);
    });
    expect(errorsUs.every((errorUs) => errorUs >= 0 && errorUs < 40)).toBe(true);
  });

  it("streams an unbounded source", async () => {
    async function* endless(): AsyncGenerator<SensorRecord> {
      for (let time = 0; ; time += 10) yield record(time, time);
    }
    const options = { devices: 3, spanUs: 30, jitterUs: 0, rng: seeded(1) };
    const firstSix: number[] = [];
    for await (const item of fanOut(endless(), options)) {
      firstSix.push(item.eventTimeUs);
      if (firstSix.length === 6) break;
    }
    expect(firstSix).toEqual([0, 10, 10, 20, 20, 20]);
  });

  it("keeps every record across buffer trims", async () => {
    const long = Array.from({ length: 5000 }, (_, i) => record(i * 10, i));
    const options = { devices: 3, spanUs: 30_000, jitterUs: 5, rng: seeded(9) };
    const output = await collect(fanOut(fromArray(long), options));
    const copy2Values = output.filter((item) => item.deviceId === "d~2").map((item) => item.value);
    expect(copy2Values).toEqual(long.map((item) => item.value));
  });

  it("copies each device of a multi-device source", async () => {
    const mixed = [record(0, 1, "a"), record(0, 2, "b"), record(5, 3, "a")];
    const options = { devices: 2, spanUs: 2, jitterUs: 0, rng: seeded(1) };
    const output = await collect(fanOut(fromArray(mixed), options));
    expect(output.map((item) => `${item.deviceId}@${item.eventTimeUs}`)).toEqual([
      "a~0@0",
      "b~0@0",
      "a~1@1",
      "b~1@1",
      "a~0@5",
      "a~1@6",
    ]);
  });

  it("rejects zero devices", async () => {
    const options = { devices: 0, spanUs: 0, jitterUs: 0, rng: seeded(1) };
    await expect(collect(fanOut(source(), options))).rejects.toThrow(
      "invalid devices 0: expected an integer of at least 1",
    );
  });
});

describe("parseVirtualDeviceId", () => {
  it("splits at the last tilde", () => {
    expect(parseVirtualDeviceId("icu~stay~12")).toEqual({ deviceId: "icu~stay", copy: 12 });
  });

  it("returns undefined for an original id", () => {
    expect(parseVirtualDeviceId("pump")).toBeUndefined();
  });
});

describe("speedUp", () => {
  it("compresses time around the first record", async () => {
    const input = [1000, 2000, 4000].map((time) => record(time, time));
    const output = await collect(speedUp(fromArray(input), { speed: 2 }));
    expect(output.map((item) => item.eventTimeUs)).toEqual([1000, 1500, 2500]);
  });

  it("compresses around a given start", async () => {
    const output = await collect(speedUp(fromArray([record(4000, 0)]), { speed: 4, startUs: 0 }));
    expect(output[0].eventTimeUs).toBe(1000);
  });

  it("rejects a speed of zero", async () => {
    await expect(collect(speedUp(fromArray([]), { speed: 0 }))).rejects.toThrow(
      "invalid speed 0: expected a positive number",
    );
  });
});
