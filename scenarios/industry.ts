/**
 * Industry: pump test benches (SKAB: vibration, current, pressure, temperature, flow at 1 Hz)
 * and machine temperature probes (NAB machine temperature) report over a plant network;
 * condition monitoring must flag faults within half a second.
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

export const industry: ScenarioConfig = {
  name: "industry",
  description: "pump benches and machine temperature probes on a plant network",
  // Pumps report eight series every second, so two hours already hold many records.
  durationUs: 2 * HOUR_US,
  devices: 40,
  seed: 1,
  provider: "aws",
  timeZone: "UTC",
  speed: 1,
  fanOutSpreadUs: SECOND_US,
  fanOutJitterUs: 20_000,
  reorderWindowUs: 10 * MINUTE_US,
  traces: [
    {
      kind: "pump-valve",
      file: "industry/skab_valve1_0.csv",
      descriptor: "scenarios/descriptors/industry/skab-valve1-0.json",
      deviceShare: 0.15,
    },
    {
      kind: "pump-normal",
      file: "industry/skab_anomaly-free.csv",
      descriptor: "scenarios/descriptors/industry/skab-anomaly-free.json",
      deviceShare: 0.15,
    },
    {
      kind: "machine-temperature",
      file: "industry/nab_machine_temperature_system_failure.csv",
      descriptor: "scenarios/descriptors/industry/nab-machine-temperature.json",
      deviceShare: 0.7,
      labels: {
        file: "industry/nab_combined_windows.json",
        key: "realKnownCause/machine_temperature_system_failure.csv",
      },
    },
  ],
  topology: {
    edgeNodes: 4,
    deviceLink: localLink,
    uplink: { ...metroUplink, latencyMedianUs: 10_000, latencySigma: 0.3, lossRate: 0.0005 },
    edgeProcessingUs: 500,
    recordBytes: 64,
  },
  pipeline: {
    deviceWindow: { sizeUs: 10 * SECOND_US },
    areaWindow: { sizeUs: MINUTE_US, slideUs: 10 * SECOND_US },
    allowedLatenessUs: 5 * SECOND_US,
    maxFutureSkewUs: MINUTE_US,
    anomaly: { method: "robust-z", threshold: 4, windowSize: 64, warmup: 16 },
  },
  spark: { ...baseSpark, triggerIntervalUs: 100_000 },
  executors: {
    cores: null,
    memoryGb: null,
    minExecutors: 0,
    maxExecutors: 40,
    initialExecutors: 2,
    startsWarm: true,
    coldStartUs: null,
  },
  // Process-automation monitoring: 99% of readings within 500 ms.
  sla: { latencyTargetMs: 500, percentile: 99 },
  decisionIntervalUs: 5 * SECOND_US,
  reportIntervalUs: MINUTE_US,
  drainLimitUs: 10 * MINUTE_US,
  sync: baseSync,
};
