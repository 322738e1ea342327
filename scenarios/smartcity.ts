/**
 * Smart city: traffic detectors (speed and occupancy, Minnesota DOT via the Numenta Anomaly
 * Benchmark) and air-quality stations (UCI Air Quality, an Italian city) report to
 * neighbourhood gateways; the cloud keeps 5-minute per-device and 15-minute per-area windows
 * and flags anomalous readings for a traffic dashboard.
 */
import {
  baseSpark,
  baseSync,
  HOUR_US,
  metroUplink,
  MINUTE_US,
  SECOND_US,
  sensorRadioLink,
} from "./common.js";
import type { ScenarioConfig } from "./scenario.js";

export const smartcity: ScenarioConfig = {
  name: "smartcity",
  description: "traffic detectors and air-quality stations behind neighbourhood gateways",
  durationUs: 24 * HOUR_US,
  devices: 2_000,
  seed: 1,
  provider: "aws",
  // The traces state no zone, so their wall-clock times are read as UTC and hours of day are
  // the file's own local hours.
  timeZone: "UTC",
  speed: 1,
  fanOutSpreadUs: 5 * MINUTE_US,
  fanOutJitterUs: 2 * SECOND_US,
  reorderWindowUs: HOUR_US,
  traces: [
    {
      kind: "traffic-speed",
      file: "smart_city/nab_realTraffic_speed_7578.csv",
      descriptor: "scenarios/descriptors/smartcity/nab-traffic-speed-7578.json",
      deviceShare: 0.4,
      labels: { file: "smart_city/nab_combined_windows.json", key: "realTraffic/speed_7578.csv" },
    },
    {
      kind: "traffic-occupancy",
      file: "smart_city/nab_realTraffic_occupancy_6005.csv",
      descriptor: "scenarios/descriptors/smartcity/nab-traffic-occupancy-6005.json",
      deviceShare: 0.4,
      labels: {
        file: "smart_city/nab_combined_windows.json",
        key: "realTraffic/occupancy_6005.csv",
      },
    },
    {
      kind: "air-quality",
      file: "smart_city/AirQualityUCI.csv",
      descriptor: "scenarios/descriptors/smartcity/air-quality-uci.json",
      deviceShare: 0.2,
    },
  ],
  topology: {
    edgeNodes: 16,
    deviceLink: sensorRadioLink,
    uplink: metroUplink,
    edgeProcessingUs: 2_000,
    recordBytes: 96,
  },
  pipeline: {
    deviceWindow: { sizeUs: 5 * MINUTE_US },
    areaWindow: { sizeUs: 15 * MINUTE_US, slideUs: 5 * MINUTE_US },
    allowedLatenessUs: 10 * MINUTE_US,
    maxFutureSkewUs: HOUR_US,
    anomaly: { method: "robust-z", threshold: 3.5, windowSize: 64, warmup: 16 },
  },
  spark: baseSpark,
  executors: {
    cores: null,
    memoryGb: null,
    minExecutors: 0,
    maxExecutors: 40,
    initialExecutors: 2,
    startsWarm: true,
    coldStartUs: null,
  },
  // A traffic dashboard refreshing every few seconds tolerates a 3 s delay for 95% of readings.
  sla: { latencyTargetMs: 3_000, percentile: 95 },
  decisionIntervalUs: 10 * SECOND_US,
  reportIntervalUs: 5 * MINUTE_US,
  drainLimitUs: 30 * MINUTE_US,
  // A 20-minute outage of the first four gateways' uplinks, as a fibre cut in one district.
  sync: {
    ...baseSync,
    durationUs: 2 * HOUR_US,
    partitions: [{ fromUs: 40 * MINUTE_US, toUs: 60 * MINUTE_US }],
    partitionedEdges: 4,
  },
};
