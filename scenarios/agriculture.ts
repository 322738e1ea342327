/**
 * Agriculture: greenhouse microclimate loggers (soil, plant, light and air sensors in two
 * Italian tunnel greenhouses) and field weather stations (NC State Sandhills) report over
 * low-power radio to farm gateways with a rural uplink; irrigation decisions tolerate delays
 * of a minute.
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

export const agriculture: ScenarioConfig = {
  name: "agriculture",
  description: "greenhouse loggers and field weather stations behind farm gateways",
  durationUs: 24 * HOUR_US,
  devices: 3_000,
  seed: 1,
  provider: "aws",
  timeZone: "Europe/Rome",
  speed: 1,
  fanOutSpreadUs: 15 * MINUTE_US,
  fanOutJitterUs: 10 * SECOND_US,
  reorderWindowUs: 2 * HOUR_US,
  traces: [
    {
      kind: "greenhouse-micro",
      file: "agriculture/greenhouse_italy_gh1/Micro_1.csv",
      descriptor: "scenarios/descriptors/agriculture/greenhouse-gh1-micro.json",
      deviceShare: 0.4,
    },
    {
      kind: "greenhouse-air",
      file: "agriculture/greenhouse_italy_gh1/TRH_1.csv",
      descriptor: "scenarios/descriptors/agriculture/greenhouse-gh1-trh.json",
      deviceShare: 0.4,
    },
    {
      kind: "field-weather",
      file: "agriculture/ncstate_sandhills_weather_QV2YC4V9_1.csv",
      descriptor: "scenarios/descriptors/agriculture/ncstate-sandhills-weather.json",
      deviceShare: 0.2,
    },
  ],
  topology: {
    edgeNodes: 12,
    deviceLink: sensorRadioLink,
    // A rural cellular uplink: slower and lossier than a metropolitan one.
    uplink: { ...metroUplink, latencyMedianUs: 80_000, latencySigma: 0.6, lossRate: 0.01 },
    edgeProcessingUs: 5_000,
    recordBytes: 96,
  },
  pipeline: {
    deviceWindow: { sizeUs: HOUR_US },
    areaWindow: { sizeUs: 3 * HOUR_US, slideUs: HOUR_US },
    allowedLatenessUs: HOUR_US,
    maxFutureSkewUs: 6 * HOUR_US,
    anomaly: { method: "ewma", threshold: 4, windowSize: 64, warmup: 16 },
  },
  spark: { ...baseSpark, triggerIntervalUs: 10 * SECOND_US },
  executors: {
    cores: null,
    memoryGb: null,
    minExecutors: 0,
    maxExecutors: 20,
    initialExecutors: 1,
    startsWarm: true,
    coldStartUs: null,
  },
  // Irrigation control acts on minutes-old data: 95% of readings within a minute.
  sla: { latencyTargetMs: 60_000, percentile: 95 },
  decisionIntervalUs: 30 * SECOND_US,
  reportIntervalUs: 10 * MINUTE_US,
  drainLimitUs: HOUR_US,
  sync: baseSync,
};
