import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { syncSchemes } from "../framework/edge/scheme-registry.js";
import { readCsv } from "../paper/csv.js";
import { syncFileNames } from "../paper/sync-files.js";
import { syncFigureNames, writeSyncOutputs } from "../paper/sync-outputs.js";
import { writeSyncFiles, type SyncComparison } from "../scenarios/sync-comparison.js";
import { runSyncScheme, type EdgeReading, type SyncRunSettings } from "../sim/sync-run.js";

const SECOND_US = 1_000_000;
const settings: SyncRunSettings = {
  edges: 2,
  linkOf: () => ({
    latencyMedianUs: 10_000,
    latencySigma: 0.2,
    bandwidthMbps: 10,
    lossRate: 0,
    retransmitTimeoutUs: 100_000,
    partitions: [{ fromUs: 20 * SECOND_US, toUs: 30 * SECOND_US }],
  }),
  timing: { retryUs: SECOND_US, lwwPushIntervalUs: 0, pollIntervalUs: 2 * SECOND_US },
  durationUs: 60 * SECOND_US,
  drainUs: 10 * SECOND_US,
  edgeConfigWritesPerHour: 0,
  cloudConfigWritesPerHour: 0,
  configDevices: 1,
  alertZScore: 10,
  partitions: [{ fromUs: 20 * SECOND_US, toUs: 30 * SECOND_US }],
  sampleIntervalUs: SECOND_US,
};
const readings: EdgeReading[] = Array.from({ length: 60 }, (_, i) => ({
  timeUs: i * SECOND_US,
  edge: i % 2,
  deviceId: `d${i % 6}`,
  value: i,
}));

describe("sync outputs", () => {
  let runDir = "";
  afterAll(() => rm(runDir, { recursive: true, force: true }));

  it("writes the sync files, table and figures", async () => {
    runDir = await mkdtemp(join(tmpdir(), "sync-outputs-"));
    const comparison: SyncComparison = {
      readings: readings.length,
      reads: [],
      outcomes: (["lww", "poll"] as const).map((scheme) =>
        runSyncScheme(scheme, syncSchemes[scheme], readings, [], settings, 1),
      ),
    };
    await writeSyncFiles(runDir, comparison);
    const table = await writeSyncOutputs(runDir);

    const summary = await readCsv(join(runDir, syncFileNames.summary));
    expect(summary.rows.map((row) => row.scheme)).toEqual(["lww", "poll"]);
    expect(summary.rows.map((row) => row.unsynced_changes)).toEqual([0, 0]);
    expect(table).toContain("later timestamp; loser dropped");
    expect(await readFile(join(runDir, syncFileNames.markdownTable), "utf8")).toContain("| poll");
    for (const name of Object.values(syncFigureNames)) {
      expect(existsSync(join(runDir, `${name}.svg`))).toBe(true);
    }
  }, 60_000);
});
