/** Small engine settings shared by the engine's tests, so each test states only what it varies. */
import { getProvider } from "../../framework/cloud/providers.js";
import type { SensorRecord } from "../../framework/ingestion/record.js";
import type { RunSettings } from "../run.js";
import type { Workload } from "../workload.js";

/** Returns run settings with round numbers: 1 s trigger, 100 ms batches on one 4-core executor. */
export function testSettings(
  overrides: Partial<RunSettings["engine"]["executors"]> = {},
): RunSettings {
  return {
    provider: getProvider("aws"),
    slaLatencyUs: 2_000_000,
    drainLimitUs: 60_000_000,
    engine: {
      spark: {
        triggerIntervalUs: 1_000_000,
        batchOverheadUs: 40_000,
        taskOverheadUs: 10_000,
        inputPartitions: 4,
        shufflePartitions: 4,
        mapOperatorCostUs: { parse: 0 },
        reduceOperatorCostUs: { aggregate: 0 },
        shuffle: {
          bytesPerRecord: 0,
          throughputMbPerSec: 100,
          requestLatencyUs: 10_000,
          fetchConcurrency: 4,
        },
        sinkWriteUs: 0,
      },
      executors: {
        cores: 4,
        memoryGb: 16,
        minExecutors: 0,
        maxExecutors: 10,
        coldStartUs: 5_000_000,
        initialExecutors: 1,
        startsWarm: false,
        ...overrides,
      },
      decisionIntervalUs: 10_000_000,
      reportIntervalUs: 10_000_000,
      utcOffsetHours: 0,
    },
  };
}

/** Returns a workload whose records arrive at the given simulated times, 10 ms after event time. */
export function workloadArrivingAt(arrivalsUs: number[], durationUs: number): Workload {
  const records: SensorRecord[] = arrivalsUs.map((arrivalUs, i) => ({
    deviceId: `device-${i}`,
    metric: "value",
    eventTimeUs: arrivalUs - 10_000,
    value: i,
  }));
  return { records, arrivalUs: Float64Array.from(arrivalsUs), epochUs: 0, durationUs };
}
