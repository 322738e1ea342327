/**
 * Small inputs for live-run tests: a deterministic record stream and run settings that finish
 * in a few seconds of wall-clock time.
 */
import {
  runLive,
  type LiveRunOptions,
  type LiveRunResult,
} from "../framework/ingestion/live-pipeline.js";
import type { LiveLogger } from "../framework/ingestion/live-log.js";
import type { SensorRecord } from "../framework/ingestion/record.js";
import { readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { expect } from "vitest";
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

/** What an overload run measured. */
export interface OverloadOutcome {
  result: LiveRunResult;
  /** Largest consumer lag reported (Kafka messages); 0 where the source cannot tell. */
  maxLag: number;
  /** Records the cloud had received when the emitters finished publishing. */
  receivedWhenPublished: number;
  /** Heap in use after a full garbage collection a quarter of the way in, in bytes. */
  heapAtQuarterBytes: number;
  /** Largest heap in use after a full collection from then until publishing ended, in bytes. */
  peakHeapAfterQuarterBytes: number;
}

/**
 * Full garbage collection. The flag lets tests measure retained memory, which resident set
 * size hides: V8 grows its heap lazily, so RSS moves by tens of MB whether or not anything is
 * retained.
 */
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

/**
 * Offers 10x the sustainable rate for `seconds` of wall-clock time: 50 devices each reporting
 * every trace second at speed 100 offer 5,000 records/s, and a sink that takes 2 ms per record
 * sustains under 500/s. Every 2 s it collects garbage and samples the heap in use. When
 * publishing ends, the sink speeds up so the backlog drains quickly.
 */
export async function runOverload(
  log: LiveLogger,
  seconds: number,
  overrides: Partial<LiveRunOptions>,
): Promise<OverloadOutcome> {
  const speed = 100;
  const records = syntheticRecords(50, seconds * speed, 1);
  let maxLag = 0;
  let receivedWhenPublished = 0;
  let heapAtQuarterBytes = 0;
  let peakHeapAfterQuarterBytes = 0;
  let sampler: NodeJS.Timeout | null = null;
  const startMs = performance.now();
  const result = await runLive(
    testRunOptions(records, log, {
      speed,
      maxQueuedRecords: 2_000,
      maxBatchRecords: 2_000,
      extraBatchUsPerRecord: 2_000,
      reportIntervalUs: 250_000,
      drainTimeoutUs: 30_000_000,
      ...overrides,
      onStart: (run) => {
        run.processor.on("interval", (interval) => {
          maxLag = Math.max(maxLag, interval.consumerLag ?? 0);
        });
        sampler = setInterval(() => {
          if (performance.now() - startMs < (seconds * 1_000) / 4) return;
          collectGarbage();
          const heap = process.memoryUsage().heapUsed;
          if (heapAtQuarterBytes === 0) heapAtQuarterBytes = heap;
          peakHeapAfterQuarterBytes = Math.max(peakHeapAfterQuarterBytes, heap);
        }, 2_000);
      },
      onPublished: (run) => {
        if (sampler !== null) clearInterval(sampler);
        receivedWhenPublished = run.processor.stats.received;
        run.processor.setExtraBatchUsPerRecord(0);
      },
    }),
  );
  if (sampler !== null) clearInterval(sampler);
  return { result, maxLag, receivedWhenPublished, heapAtQuarterBytes, peakHeapAfterQuarterBytes };
}

/** Writes one line on stderr with what an overload run measured. */
export function reportOverload(path: string, outcome: OverloadOutcome): void {
  const { result } = outcome;
  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
  process.stderr.write(
    `overload through ${path}: ${result.emitter.sent} sent, ${outcome.receivedWhenPublished} received when publishing ended, ` +
      `max backlog ${result.processor.stats.maxBacklog}, max consumer lag ${outcome.maxLag}, ` +
      `heap after GC ${mb(outcome.heapAtQuarterBytes)} MB at a quarter, at most ${mb(outcome.peakHeapAfterQuarterBytes)} MB after, ` +
      `peak RSS ${mb(result.peakRssBytes)} MB\n`,
  );
}

/**
 * Checks an overload run: nothing lost, the in-process queue held at its limit, and most of
 * the excess still outside the process when publishing ended. The retained heap must also grow
 * by far less than that excess would take in the process, which is about 220 bytes a record.
 */
export function expectBoundedOverload(outcome: OverloadOutcome, maxQueuedRecords = 2_000): void {
  const { result } = outcome;
  const { stats } = result.processor;
  expect(result.lost).toBe(0);
  expect(stats.pauses).toBeGreaterThanOrEqual(1);
  // The message that crosses the limit can add one forward batch: at most 500 records.
  expect(stats.maxBacklog).toBeLessThanOrEqual(maxQueuedRecords + 500);
  const outside = result.emitter.sent - outcome.receivedWhenPublished;
  expect(outside).toBeGreaterThanOrEqual(result.emitter.sent / 2);
  const growthBytes = outcome.peakHeapAfterQuarterBytes - outcome.heapAtQuarterBytes;
  expect(growthBytes).toBeLessThan(outside * 50);
}

/** Reads a CSV file without quoted commas into one object per row. */
export function readCsvRows(path: string): Record<string, string>[] {
  const [header, ...rows] = readFileSync(path, "utf8").trim().split("\n");
  const names = header.split(",");
  return rows.map((row) => {
    const cells = row.split(",");
    return Object.fromEntries(names.map((name, i) => [name, cells[i]]));
  });
}
