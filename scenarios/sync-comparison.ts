/**
 * The sync comparison of a scenario run. The workload's readings go into each edge node's
 * state, and every requested scheme carries them to the cloud over the topology's uplink with
 * the scenario's sync partitions. The outcomes become sync.csv, sync-latency-cdf.csv,
 * sync-backlog.csv and, with predictors, prefetch.csv.
 */
import { join } from "node:path";
import { quantileSorted } from "simple-statistics";
import { conflictResolution, syncSchemes } from "../framework/edge/scheme-registry.js";
import type { SyncSchemeName } from "../framework/edge/sync-scheme.js";
import {
  createPredictor,
  type PredictorName,
} from "../framework/edge/prefetch/predictor-registry.js";
import { writeCsv, type CellValue } from "../paper/csv.js";
import {
  prefetchColumns,
  syncBacklogColumns,
  syncColumns,
  syncFileNames,
  syncLatencyCdfColumns,
} from "../paper/sync-files.js";
import { percentilesOfSorted } from "../sim/metrics.js";
import type { LinkConfig } from "../sim/network.js";
import { RandomStreams } from "../sim/random.js";
import { runPrefetch, type PrefetchOutcome } from "../sim/prefetch-run.js";
import { runSyncScheme, type SyncOutcome, type SyncRunSettings } from "../sim/sync-run.js";
import { dashboardReads, edgeReadings, type CloudRead } from "../sim/sync-workload.js";
import type { Workload } from "../sim/workload.js";
import type { ScenarioConfig } from "./scenario.js";
import { areaOf } from "./workload-builder.js";

/** Points per scheme in sync-latency-cdf.csv. */
const CDF_POINTS = 200;

/** The inputs and outcomes of a sync comparison. */
export interface SyncComparison {
  readings: number;
  reads: CloudRead[];
  outcomes: SyncOutcome[];
}

/** Returns the run settings of the sync comparison of `config`. */
export function syncRunSettings(config: ScenarioConfig): SyncRunSettings {
  const sync = config.sync;
  const uplink = config.topology.uplink;
  const partitioned: LinkConfig = {
    ...uplink,
    partitions: [...uplink.partitions, ...sync.partitions],
  };
  return {
    edges: config.topology.edgeNodes,
    linkOf: (edge) => (edge < sync.partitionedEdges ? partitioned : uplink),
    timing: {
      retryUs: sync.retryUs,
      lwwPushIntervalUs: sync.lwwPushIntervalUs,
      pollIntervalUs: sync.pollIntervalUs,
    },
    durationUs: sync.durationUs,
    drainUs: sync.drainUs,
    edgeConfigWritesPerHour: sync.edgeConfigWritesPerHour,
    cloudConfigWritesPerHour: sync.cloudConfigWritesPerHour,
    configDevices: sync.configDevices,
    alertZScore: sync.alertZScore,
    partitions: sync.partitionedEdges > 0 ? sync.partitions : [],
    sampleIntervalUs: sync.sampleIntervalUs,
  };
}

/** Runs every scheme in `schemes` over the first `config.sync.durationUs` of `workload`. */
export function runSyncComparison(
  config: ScenarioConfig,
  workload: Workload,
  schemes: readonly SyncSchemeName[],
  onProgress: (scheme: string) => void = () => {},
): SyncComparison {
  const settings = syncRunSettings(config);
  const edgeOf = (deviceId: string) =>
    Number(areaOf(deviceId, config.topology.edgeNodes).slice("edge-".length));
  const readings = edgeReadings(workload.records, workload.arrivalUs, settings.durationUs, edgeOf);
  const streams = new RandomStreams(config.seed);
  const reads = dashboardReads(
    readings,
    settings.edges,
    settings.durationUs,
    config.sync,
    streams.stream("sync/reads"),
  );

  const outcomes: SyncOutcome[] = [];
  for (const scheme of schemes) {
    onProgress(scheme);
    outcomes.push(
      runSyncScheme(scheme, syncSchemes[scheme], readings, reads, settings, config.seed),
    );
  }
  return { readings: readings.length, reads, outcomes };
}

/**
 * Replays the comparison's cloud reads against an on-demand fetching cloud with each
 * predictor in `predictors`. A fetch request is taken as 40 bytes and a reply as one record
 * plus 40 bytes of MQTT and JSON framing (an estimate).
 */
export async function runPrefetchComparison(
  config: ScenarioConfig,
  comparison: SyncComparison,
  predictors: readonly PredictorName[],
  onProgress: (predictor: string) => void = () => {},
): Promise<PrefetchOutcome[]> {
  const { linkOf } = syncRunSettings(config);
  const keyCount = new Set(comparison.reads.map((read) => `${read.edge}/${read.deviceId}`)).size;
  const settings = {
    linkOf,
    ttlUs: config.sync.prefetchTtlUs,
    depth: config.sync.prefetchDepth,
    requestBytes: 40,
    replyBytes: config.topology.recordBytes + 40,
  };
  const outcomes: PrefetchOutcome[] = [];
  for (const name of predictors) {
    onProgress(name);
    const predictor = await createPredictor(name, Math.max(1, keyCount), config.seed);
    try {
      outcomes.push(runPrefetch(predictor, comparison.reads, settings, config.seed));
    } finally {
      predictor.dispose();
    }
  }
  return outcomes;
}

/** Returns one prefetch.csv row per predictor. */
export function prefetchRows(outcomes: readonly PrefetchOutcome[]): Record<string, CellValue>[] {
  return outcomes.map((outcome) => {
    const latency = percentilesOfSorted(outcome.latenciesUs);
    const total = outcome.latenciesUs.reduce((sum, value) => sum + value, 0);
    return {
      predictor: outcome.predictor,
      reads: outcome.reads,
      hit_rate: outcome.reads > 0 ? outcome.hits / outcome.reads : null,
      read_latency_mean_ms: outcome.reads > 0 ? total / outcome.reads / 1_000 : null,
      read_latency_p50_ms: toMs(latency.p50),
      read_latency_p95_ms: toMs(latency.p95),
      prefetches: outcome.prefetches,
      wasted_prefetches: outcome.wastedPrefetches,
      wasted_bytes: outcome.wastedBytes,
    };
  });
}

/** Writes prefetch.csv into `runDir`. */
export async function writePrefetchFile(
  runDir: string,
  outcomes: readonly PrefetchOutcome[],
): Promise<void> {
  await writeCsv(join(runDir, syncFileNames.prefetch), prefetchColumns, prefetchRows(outcomes));
}

/** Returns one sync.csv row per scheme. */
export function syncRows(comparison: SyncComparison): Record<string, CellValue>[] {
  return comparison.outcomes.map((outcome) => {
    const latency = percentilesOfSorted(outcome.latenciesUs);
    const changes = outcome.edgeChanges + outcome.cloudChanges;
    const stale = outcome.staleReads;
    const convergence = outcome.convergenceUs;
    const isConverged = convergence.every((value) => value !== null);
    return {
      scheme: outcome.scheme,
      edge_changes: outcome.edgeChanges,
      cloud_changes: outcome.cloudChanges,
      latency_p50_ms: toMs(latency.p50),
      latency_p95_ms: toMs(latency.p95),
      latency_p99_ms: toMs(latency.p99),
      latency_max_ms: toMs(outcome.latenciesUs.at(-1) ?? null),
      bytes_per_change: changes > 0 ? (outcome.bytesUp + outcome.bytesDown) / changes : null,
      messages_per_change:
        changes > 0 ? (outcome.messagesUp + outcome.messagesDown) / changes : null,
      bytes_up: outcome.bytesUp,
      bytes_down: outcome.bytesDown,
      convergence_s:
        convergence.length > 0 && isConverged ? Math.max(...(convergence as number[])) / 1e6 : null,
      conflicts: outcome.conflicts,
      resolution: conflictResolution[outcome.scheme as SyncSchemeName],
      divergent_keys: outcome.divergentKeys,
      unsynced_changes: outcome.unsynced,
      reads: stale.reads,
      stale_reads: stale.stale,
      stale_share: stale.reads > 0 ? stale.stale / stale.reads : null,
      stale_gap_p50_s: stale.gapsUs.length > 0 ? quantileSorted(stale.gapsUs, 0.5) / 1e6 : null,
      stale_gap_max_s: stale.gapsUs.length > 0 ? stale.gapsUs.at(-1)! / 1e6 : null,
    };
  });
}

/** Writes sync.csv, sync-latency-cdf.csv and sync-backlog.csv into `runDir`. */
export async function writeSyncFiles(runDir: string, comparison: SyncComparison): Promise<void> {
  await writeCsv(join(runDir, syncFileNames.summary), syncColumns, syncRows(comparison));

  const cdfRows: Record<string, CellValue>[] = [];
  for (const outcome of comparison.outcomes) {
    const sorted = outcome.latenciesUs as unknown as number[];
    if (sorted.length === 0) continue;
    for (let i = 0; i <= CDF_POINTS; i++) {
      const share = i / CDF_POINTS;
      const latencyMs = quantileSorted(sorted, share) / 1_000;
      cdfRows.push({ scheme: outcome.scheme, latency_ms: latencyMs, cumulative_share: share });
    }
  }
  await writeCsv(join(runDir, syncFileNames.latencyCdf), syncLatencyCdfColumns, cdfRows);

  const backlogRows = comparison.outcomes.flatMap((outcome) =>
    outcome.backlog.map((point) => ({
      scheme: outcome.scheme,
      time_s: point.timeUs / 1e6,
      unseen_changes: point.unseenChanges,
    })),
  );
  await writeCsv(join(runDir, syncFileNames.backlog), syncBacklogColumns, backlogRows);
}

function toMs(valueUs: number | null): CellValue {
  return valueUs === null ? null : valueUs / 1_000;
}
