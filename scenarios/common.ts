/**
 * Engine and network settings shared by the scenarios, so each scenario module states only
 * where it differs. Every figure here is a modelled assumption unless a source is given.
 */
import type { LinkConfig } from "../sim/network.js";
import type { SyncScenarioConfig } from "./scenario.js";
import type { SparkModelConfig } from "../sim/spark/cost-model.js";

export const SECOND_US = 1_000_000;
export const MINUTE_US = 60 * SECOND_US;
export const HOUR_US = 60 * MINUTE_US;

/**
 * A Structured Streaming job of two stages: validation, watermarking, the device window and
 * anomaly scoring before the shuffle, the area window after it.
 * NOTE: per-record core times are estimates of JVM row processing with JSON decoding (tens of
 * microseconds per record), not measurements of a Spark deployment. Calibrate them from a
 * real job before quoting absolute throughput.
 */
export const baseSpark: SparkModelConfig = {
  // Spark's default processing-time trigger is "as fast as possible"; IoT jobs set one.
  triggerIntervalUs: SECOND_US,
  // Planning, offset write-ahead log and commit per micro-batch; Spark quotes end-to-end
  // latencies "as low as 100 milliseconds" for micro-batches (Structured Streaming
  // Programming Guide, spark.apache.org/docs/latest, read 2026-12).
  batchOverheadUs: 60_000,
  taskOverheadUs: 5_000,
  inputPartitions: 8,
  // Spark's default spark.sql.shuffle.partitions is 200; small streaming jobs lower it.
  shufflePartitions: 32,
  mapOperatorCostUs: { validate: 25, watermark: 1, "device-window": 6, anomaly: 10 },
  reduceOperatorCostUs: { "area-window": 6 },
  shuffle: {
    bytesPerRecord: 96,
    throughputMbPerSec: 80,
    // A remote shuffle tier behaves like an object store: tens of milliseconds per request.
    requestLatencyUs: 25_000,
    fetchConcurrency: 8,
  },
  sinkWriteUs: 30_000,
};

/** A metropolitan uplink from an edge gateway to a cloud region. */
export const metroUplink: LinkConfig = {
  latencyMedianUs: 25_000,
  latencySigma: 0.4,
  bandwidthMbps: 50,
  lossRate: 0.002,
  retransmitTimeoutUs: 200_000,
  partitions: [],
};

/** A low-power radio hop from a sensor to its edge gateway. */
export const sensorRadioLink: LinkConfig = {
  latencyMedianUs: 60_000,
  latencySigma: 0.5,
  bandwidthMbps: 0.25,
  lossRate: 0.01,
  retransmitTimeoutUs: 1_000_000,
  partitions: [],
};

/** A wired or Wi-Fi hop inside a building. */
export const localLink: LinkConfig = {
  latencyMedianUs: 2_000,
  latencySigma: 0.3,
  bandwidthMbps: 100,
  lossRate: 0.0005,
  retransmitTimeoutUs: 50_000,
  partitions: [],
};

/**
 * Sync comparison settings without partitions. Configuration writes are modelled as a few
 * threshold changes per edge and hour on both sides, aimed at 5 devices so that some
 * collide; the dashboard reads 2 devices per second.
 */
export const baseSync: SyncScenarioConfig = {
  durationUs: HOUR_US,
  drainUs: 10 * MINUTE_US,
  retryUs: SECOND_US,
  lwwPushIntervalUs: 0,
  pollIntervalUs: 5 * SECOND_US,
  edgeConfigWritesPerHour: 6,
  cloudConfigWritesPerHour: 6,
  configDevices: 5,
  alertZScore: 3.5,
  partitions: [],
  partitionedEdges: 0,
  readsPerSec: 2,
  devicesPerPanel: 4,
  routeProbability: 0.8,
  panelsPerSession: 8,
  sampleIntervalUs: 10 * SECOND_US,
  // A dashboard tolerating 30 s old values, prefetching two devices ahead.
  prefetchTtlUs: 30 * SECOND_US,
  prefetchDepth: 2,
};
