import { describe, expect, it } from "vitest";
import type { SensorRecord } from "../framework/ingestion/record.js";
import { getScenario } from "../scenarios/registry.js";
import { buildWorkload } from "../scenarios/workload-builder.js";
import { RandomStreams } from "../sim/random.js";

const MINUTE_US = 60_000_000;

/** Returns one record per minute for `minutes` minutes, from a fixed start time. */
function minuteRecords(minutes: number): SensorRecord[] {
  const startUs = 1_700_000_000_000_000;
  return Array.from({ length: minutes }, (_, i) => ({
    deviceId: `device-${i % 7}`,
    metric: "speed",
    eventTimeUs: startUs + i * MINUTE_US,
    value: i,
  }));
}

describe("buildWorkload with a start offset", () => {
  it("skips the offset and keeps the duration after it", async () => {
    const config = getScenario("smartcity");
    config.durationUs = 30 * MINUTE_US;
    config.startOffsetUs = 60 * MINUTE_US;
    const records = minuteRecords(120);
    const { workload } = await buildWorkload(config, records, new RandomStreams(1));
    expect(workload.epochUs).toBe(records[60].eventTimeUs);
    expect(workload.records).toHaveLength(30);
    const eventTimes = workload.records.map((r) => r.eventTimeUs).sort((a, b) => a - b);
    expect(eventTimes[0]).toBe(records[60].eventTimeUs);
    expect(eventTimes.at(-1)).toBe(records[89].eventTimeUs);
  });

  it("starts at the first record without an offset", async () => {
    const config = getScenario("smartcity");
    config.durationUs = 30 * MINUTE_US;
    const records = minuteRecords(120);
    const { workload } = await buildWorkload(config, records, new RandomStreams(1));
    expect(workload.epochUs).toBe(records[0].eventTimeUs);
    expect(workload.records).toHaveLength(30);
  });
});
