import { describe, expect, it } from "vitest";
import { MemoryLogger } from "../framework/ingestion/live-log.js";
import { runLive } from "../framework/ingestion/live-pipeline.js";
import { loadRecords, measureNetworkProfile } from "../framework/ingestion/network-calibration.js";
import { calibratedTopology, nearestLoad } from "../framework/ingestion/network-profile.js";
import { smartcity } from "../scenarios/smartcity.js";
import { buildWorkload, ingestionDelaysUs } from "../scenarios/workload-builder.js";
import { percentilesOfSorted } from "../sim/metrics.js";
import { RandomStreams } from "../sim/random.js";
import { testRunOptions } from "./live-fixtures.js";

const LOAD = 500; // records per second
const SECONDS = 4;
/** Leading seconds of each run left out of the latency percentiles. */
const WARMUP_SECONDS = 1;

describe("network calibration", () => {
  // Two live measurements on a shared machine can differ by chance, so a miss is retried.
  it("makes simulated ingestion match a live run", { retry: 2, timeout: 60_000 }, async () => {
    const logger = new MemoryLogger();
    const profile = await measureNetworkProfile({
      mqttUrl: null,
      kafkaBrokers: null,
      qos: 1,
      loads: [LOAD],
      secondsPerLoad: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      pipeline: smartcity.pipeline,
      log: logger.log,
    });

    // An independent live run at the same load.
    const records = loadRecords(LOAD, SECONDS);
    const live = await runLive(
      testRunOptions(records, logger.log, {
        speed: 1,
        triggerIntervalUs: 1_000_000,
        emitterClients: 4,
        startDelayUs: 500_000,
        warmupUs: WARMUP_SECONDS * 1_000_000,
      }),
    );
    const liveLatency = live.processor.ingestionLatency;

    // The same records through the simulated network with the calibrated links.
    const config = structuredClone(smartcity);
    config.durationUs = SECONDS * 1_000_000;
    const links = calibratedTopology(nearestLoad(profile, LOAD));
    config.topology = {
      ...config.topology,
      deviceLink: { ...links.deviceLink, partitions: [] },
      uplink: { ...links.uplink, partitions: [] },
      edgeProcessingUs: links.edgeProcessingUs,
    };
    const { workload } = await buildWorkload(config, records, new RandomStreams(7));
    const simulated = percentilesOfSorted(ingestionDelaysUs(workload));

    const liveP = {
      p50: liveLatency.quantileUs(0.5)!,
      p95: liveLatency.quantileUs(0.95)!,
      p99: liveLatency.quantileUs(0.99)!,
    };
    process.stderr.write(
      `calibration at ${LOAD} records/s: live p50/p95/p99 ${fmt(liveP)} ms, simulated ${fmt(simulated as typeof liveP)} ms\n`,
    );
    for (const key of ["p50", "p95", "p99"] as const) {
      const relative = Math.abs(simulated[key]! - liveP[key]) / liveP[key];
      expect(relative, key).toBeLessThanOrEqual(0.2);
    }
  });
});

function fmt(p: { p50: number; p95: number; p99: number }): string {
  return [p.p50, p.p95, p.p99].map((us) => (us / 1_000).toFixed(1)).join("/");
}
