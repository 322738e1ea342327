/**
 * Healthcare: wearables (Empatica E4 heart rate and inter-beat intervals) and ICU bedside
 * monitors (PhysioNet Challenge 2012 vital signs) report through ward gateways; the cloud
 * keeps per-patient windows and flags anomalous vital signs for clinical alerting, which needs
 * a tight latency target.
 */
import {
  baseSpark,
  baseSync,
  HOUR_US,
  localLink,
  metroUplink,
  MINUTE_US,
  SECOND_US,
} from "./common.js";
import type { ScenarioConfig } from "./scenario.js";

export const healthcare: ScenarioConfig = {
  name: "healthcare",
  description: "wearables and ICU monitors behind ward gateways, with clinical alerting",
  // Wearables report about twice a second each, so a few hours already hold many records.
  durationUs: 4 * HOUR_US,
  devices: 60,
  seed: 1,
  provider: "aws",
  timeZone: "UTC",
  speed: 1,
  fanOutSpreadUs: SECOND_US,
  fanOutJitterUs: 50_000,
  reorderWindowUs: 10 * MINUTE_US,
  traces: [
    {
      kind: "wearable-hr",
      file: "healthcare/empatica_e4_flirt/HR.csv",
      descriptor: "scenarios/descriptors/healthcare/empatica-e4-hr.json",
      deviceShare: 0.25,
    },
    {
      kind: "wearable-ibi",
      file: "healthcare/empatica_e4_flirt/IBI.csv",
      descriptor: "scenarios/descriptors/healthcare/empatica-e4-ibi.json",
      deviceShare: 0.25,
    },
    {
      kind: "icu-monitor",
      file: "healthcare/physionet2012_set-a/132540.txt",
      descriptor: "scenarios/descriptors/healthcare/physionet-2012-set-a.json",
      deviceShare: 0.5,
    },
  ],
  topology: {
    edgeNodes: 4,
    deviceLink: localLink,
    uplink: metroUplink,
    edgeProcessingUs: 1_000,
    recordBytes: 64,
  },
  pipeline: {
    deviceWindow: { sizeUs: MINUTE_US },
    areaWindow: { sizeUs: 5 * MINUTE_US, slideUs: MINUTE_US },
    allowedLatenessUs: 30 * SECOND_US,
    maxFutureSkewUs: 10 * MINUTE_US,
    anomaly: { method: "robust-z", threshold: 4, windowSize: 64, warmup: 16 },
  },
  spark: { ...baseSpark, triggerIntervalUs: 250_000 },
  executors: {
    cores: null,
    memoryGb: null,
    minExecutors: 0,
    maxExecutors: 40,
    initialExecutors: 2,
    startsWarm: true,
    coldStartUs: null,
  },
  // Bedside alarms: 99% of readings reach the alerting sink within one second.
  sla: { latencyTargetMs: 1_000, percentile: 99 },
  decisionIntervalUs: 5 * SECOND_US,
  reportIntervalUs: MINUTE_US,
  drainLimitUs: 10 * MINUTE_US,
  sync: baseSync,
};
