/**
 * Small inputs for live-run tests: a deterministic record stream and run settings that finish
 * in a few seconds of wall-clock time.
 */
import type { LiveRunOptions } from "../framework/ingestion/live-pipeline.js";
import type { LiveLogger } from "../framework/ingestion/live-log.js";
import type { SensorRecord } from "../framework/ingestion/record.js";
import { smartcity } from "../scenarios/smartcity.js";
import { areaOf } from "../scenarios/workload-builder.js";

/** 2024-01-01T00:00:00Z in µs. */
const EPOCH_US = 1_704_067_200_000_000;

/**
 * Returns `devices` devices each reporting one reading every `periodS` trace seconds over
 * `spanS` trace seconds, in event-time order. Values follow a sine with one spike per device.
 */
export function syntheticRecords(devices: number, spanS: number, periodS: number): SensorRecord[] {
  const records: SensorRecord[] = [];
  for (let t = 0; t < spanS; t += periodS) {
    for (let d = 0; d < devices; d++) {
      const isSpike = t === Math.floor(spanS / 2 / periodS) * periodS && d % 3 === 0;
      records.push({
        deviceId: `sensor-${d}`,
        metric: "speed",
        eventTimeUs: EPOCH_US + t * 1_000_000 + d,
        value: isSpike ? 500 : 50 + 10 * Math.sin((t + d) / 30),
      });
    }
  }
  return records;
}

/** Live-run settings for tests; callers override what their case needs. */
export function testRunOptions(
  records: SensorRecord[],
  log: LiveLogger,
  overrides: Partial<LiveRunOptions> = {},
): LiveRunOptions {
  return {
    records,
    pipeline: smartcity.pipeline,
    areaOf: (id) => areaOf(id, 4),
    mqttUrl: null,
    kafka: null,
    qos: 1,
    speed: 100,
    triggerIntervalUs: 200_000,
    maxBatchRecords: 10_000,
    maxQueuedRecords: 100_000,
    reportIntervalUs: 500_000,
    corruptEvery: 0,
    emitterClients: 2,
    drainTimeoutUs: 10_000_000,
    startDelayUs: 200_000,
    log,
    runTag: `test-${process.pid}-${Math.floor(performance.now())}`,
    ...overrides,
  };
}
