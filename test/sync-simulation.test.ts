import { describe, expect, it } from "vitest";
import { syncSchemes } from "../framework/edge/scheme-registry.js";
import type { SyncSchemeName } from "../framework/edge/sync-scheme.js";
import { RandomStreams } from "../sim/random.js";
import { runSyncScheme, type EdgeReading, type SyncRunSettings } from "../sim/sync-run.js";
import { dashboardReads } from "../sim/sync-workload.js";

const SECOND_US = 1_000_000;
const MINUTE_US = 60 * SECOND_US;
const partition = { fromUs: 4 * MINUTE_US, toUs: 7 * MINUTE_US };

const settings: SyncRunSettings = {
  edges: 3,
  linkOf: (edge) => ({
    latencyMedianUs: 20_000,
    latencySigma: 0.3,
    bandwidthMbps: 10,
    lossRate: 0.01,
    retransmitTimeoutUs: 200_000,
    partitions: edge === 0 ? [partition] : [],
  }),
  timing: { retryUs: SECOND_US, lwwPushIntervalUs: 0, pollIntervalUs: 5 * SECOND_US },
  durationUs: 10 * MINUTE_US,
  drainUs: 2 * MINUTE_US,
  edgeConfigWritesPerHour: 60,
  cloudConfigWritesPerHour: 60,
  configDevices: 2,
  alertZScore: 3,
  partitions: [partition],
  sampleIntervalUs: 10 * SECOND_US,
};

function readings(): EdgeReading[] {
  const random = new RandomStreams(7).stream("readings");
  const list: EdgeReading[] = [];
  for (let t = 0; t < settings.durationUs; t += random.integer(1, 4) * SECOND_US) {
    const edge = random.integer(0, settings.edges - 1);
    const deviceId = `e${edge}-d${random.integer(0, 9)}`;
    list.push({ timeUs: t, edge, deviceId, value: random.normal(20, 2) });
  }
  return list;
}

const outcomes = new Map<string, ReturnType<typeof runUncached>>();

/** Runs `scheme` once per seed; the cases below share the outcome. */
function run(scheme: SyncSchemeName, seed = 1) {
  const key = `${scheme}/${seed}`;
  if (!outcomes.has(key)) outcomes.set(key, runUncached(scheme, seed));
  return outcomes.get(key)!;
}

function runUncached(scheme: SyncSchemeName, seed: number) {
  const input = readings();
  const pattern = {
    readsPerSec: 1,
    devicesPerPanel: 3,
    routeProbability: 0.8,
    panelsPerSession: 5,
  };
  const reads = dashboardReads(
    input,
    settings.edges,
    settings.durationUs,
    pattern,
    new RandomStreams(3).stream("reads"),
  );
  return runSyncScheme(scheme, syncSchemes[scheme], input, reads, settings, seed);
}

describe("runSyncScheme", () => {
  for (const scheme of ["crdt", "lww", "poll"] as const) {
    it(`delivers every edge change (${scheme})`, () => {
      const outcome = run(scheme);
      expect(outcome.edgeChanges).toBeGreaterThan(200);
      expect(outcome.unsynced).toBe(0);
      expect(outcome.divergentKeys).toBe(0);
    });

    it(`converges after the partition heals (${scheme})`, () => {
      const [convergenceUs] = run(scheme).convergenceUs;
      expect(convergenceUs).not.toBeNull();
      expect(convergenceUs!).toBeLessThan(MINUTE_US);
    });
  }

  it("repeats byte for byte under one seed", () => {
    expect(JSON.stringify(runUncached("crdt", 1))).toBe(JSON.stringify(run("crdt", 1)));
  });

  it("delays polled changes by about half an interval", () => {
    const outcome = run("poll");
    const median = outcome.latenciesUs[Math.floor(outcome.latenciesUs.length / 2)];
    expect(median).toBeGreaterThan(SECOND_US);
    expect(median).toBeLessThan(5 * SECOND_US);
  });

  it("counts stale reads during the partition", () => {
    expect(run("crdt").staleReads.stale).toBeGreaterThan(0);
  });

  it("sends fewer bytes per change with the CRDT than with full-state LWW", () => {
    const crdt = run("crdt");
    const lww = run("lww");
    expect(crdt.bytesUp).toBeLessThan(lww.bytesUp);
  });
});
