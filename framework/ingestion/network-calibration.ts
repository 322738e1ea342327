/**
 * Measures a network profile: for each offered load, a short live run of synthetic records
 * through the given brokers, recording the ingestion latency (device publish to cloud
 * receive) of every record.
 */
import type { PipelineSpec } from "../processing/pipeline-spec.js";
import type { LatencyHistogram } from "./latency-histogram.js";
import type { LiveLogger } from "./live-log.js";
import { runLive } from "./live-pipeline.js";
import {
  PROFILE_QUANTILE_POINTS,
  type NetworkProfile,
  type ProfileLoad,
} from "./network-profile.js";
import type { SensorRecord } from "./record.js";

/** Settings of `measureNetworkProfile`. */
export interface CalibrationOptions {
  /** MQTT broker URL; null uses the embedded aedes broker. */
  mqttUrl: string | null;
  /** Kafka bootstrap brokers; null forwards over MQTT. */
  kafkaBrokers: string[] | null;
  qos: 0 | 1;
  /** Offered loads, in records per second. */
  loads: number[];
  /** Wall-clock seconds of traffic per load. */
  secondsPerLoad: number;
  /** Leading seconds of each load left out of the measurement. */
  warmupSeconds: number;
  /** Pipeline the cloud side runs, so processing competes for the CPU as in a real run. */
  pipeline: PipelineSpec;
  log: LiveLogger;
}

/** 2024-01-01T00:00:00Z in µs: the synthetic records' first event time. */
const EPOCH_US = 1_704_067_200_000_000;

/**
 * Returns `recordsPerSec` devices reporting once per second for `seconds` seconds, so the
 * offered load is `recordsPerSec` when replayed at speed 1. Device d reports at offset d/N s.
 */
export function loadRecords(recordsPerSec: number, seconds: number): SensorRecord[] {
  const devices = Math.max(1, Math.round(recordsPerSec));
  const records: SensorRecord[] = [];
  for (let s = 0; s < seconds; s++) {
    for (let d = 0; d < devices; d++) {
      records.push({
        deviceId: `load-${d}`,
        metric: "value",
        eventTimeUs: EPOCH_US + s * 1_000_000 + Math.floor((d * 1_000_000) / devices),
        value: Math.sin(s + d),
      });
    }
  }
  return records;
}

/** Runs one live measurement per load and returns the profile. */
export async function measureNetworkProfile(options: CalibrationOptions): Promise<NetworkProfile> {
  const loads: ProfileLoad[] = [];
  let mqtt = options.mqttUrl ?? "embedded aedes";
  for (const recordsPerSec of [...options.loads].sort((a, b) => a - b)) {
    options.log("info", "calibration load started", { recordsPerSec });
    const records = loadRecords(recordsPerSec, options.secondsPerLoad);
    const result = await runLive({
      records,
      pipeline: options.pipeline,
      areaOf: (id) => `edge-${Number(id.slice(5)) % 4}`,
      mqttUrl: options.mqttUrl,
      kafka: options.kafkaBrokers === null ? null : { brokers: options.kafkaBrokers },
      qos: options.qos,
      speed: 1,
      triggerIntervalUs: 1_000_000,
      maxBatchRecords: 1_000_000,
      maxQueuedRecords: 10_000_000,
      reportIntervalUs: 1_000_000,
      corruptEvery: 0,
      emitterClients: 4,
      drainTimeoutUs: 20_000_000,
      startDelayUs: 500_000,
      log: options.log,
      warmupUs: options.warmupSeconds * 1_000_000,
      runTag: `calibrate-${process.pid}-${recordsPerSec}-${Date.now()}`,
    });
    if (result.isEmbeddedBroker) mqtt = "embedded aedes";
    const histogram = result.processor.ingestionLatency;
    loads.push({
      recordsPerSec,
      measuredRecordsPerSec: result.processor.stats.processed / (result.wallDurationUs / 1e6),
      samples: histogram.count,
      latencyQuantilesUs: quantileTable(histogram),
      p50Us: histogram.quantileUs(0.5) ?? 0,
      p95Us: histogram.quantileUs(0.95) ?? 0,
      p99Us: histogram.quantileUs(0.99) ?? 0,
    });
  }
  return {
    version: 1,
    path: "device publish to cloud receive",
    measuredAt: new Date().toISOString(),
    mqtt,
    kafka: options.kafkaBrokers,
    qos: options.qos,
    loads,
  };
}

function quantileTable(histogram: LatencyHistogram): number[] {
  const table: number[] = [];
  for (let i = 0; i < PROFILE_QUANTILE_POINTS; i++) {
    const valueUs = histogram.quantileUs(i / (PROFILE_QUANTILE_POINTS - 1)) ?? 0;
    // Bucket midpoints can step back at the top, where the maximum caps them.
    table.push(Math.max(valueUs, table[i - 1] ?? 0));
  }
  return table;
}
