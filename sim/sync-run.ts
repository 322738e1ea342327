/**
 * The simulated sync comparison, one scheme at a time. Every edge node's state changes are
 * replayed on its edge side, and the cloud writes configuration and reads device state. The
 * messages travel over simulated uplinks and downlinks with the scenario's latency, loss and
 * partitions. The run records per-change latency, traffic, conflicts, stale reads and the
 * backlog of changes the cloud has not seen.
 */
import type {
  EdgeSyncSide,
  SyncSchemeFactory,
  SyncSide,
  SyncTiming,
} from "../framework/edge/sync-scheme.js";
import { NetworkLink, type LinkConfig, type Partition } from "./network.js";
import { RandomStreams, type RandomStream } from "./random.js";
import { SimTransport } from "./sim-transport.js";
import { Simulator } from "./simulator.js";
import { runningZScore, type CloudRead } from "./sync-workload.js";

/** A reading that reaches an edge node, in simulated time. */
export interface EdgeReading {
  timeUs: number;
  edge: number;
  deviceId: string;
  value: number;
}

/** Settings of one comparison run. */
export interface SyncRunSettings {
  /** Number of edge nodes; edge i is named `edge-i`. */
  edges: number;
  /** Uplink of edge `edge` (edge to cloud); the downlink uses the same settings. */
  linkOf: (edge: number) => LinkConfig;
  timing: SyncTiming;
  /** Readings and cloud reads happen in [0, durationUs). */
  durationUs: number;
  /** Time after `durationUs` allowed for the last changes to arrive. */
  drainUs: number;
  /** Edge configuration writes per edge per hour. */
  edgeConfigWritesPerHour: number;
  /** Cloud configuration writes per edge per hour. */
  cloudConfigWritesPerHour: number;
  /** Configuration writes go to the first this many devices of an edge, so they can collide. */
  configDevices: number;
  /** An edge raises an alert for a reading whose running z-score exceeds this. */
  alertZScore: number;
  /** Partitions of the partitioned edges' links, for measuring convergence after each. */
  partitions: Partition[];
  /** Width of one row of the backlog series, in microseconds. */
  sampleIntervalUs: number;
}

/** Stale-read counts and the age gap of stale values. */
export interface StaleReads {
  reads: number;
  stale: number;
  /** Newest edge value's time minus the read value's time, over stale reads, sorted, in µs. */
  gapsUs: number[];
}

/** One point of the backlog series: changes written at edges that the cloud has not seen. */
export interface BacklogPoint {
  timeUs: number;
  unseenChanges: number;
}

/** Outcome of one scheme. */
export interface SyncOutcome {
  scheme: string;
  /** Edge writes (readings, alerts, configuration). */
  edgeChanges: number;
  cloudChanges: number;
  /** Edge write to visibility in the cloud replica, sorted, in microseconds. */
  latenciesUs: Float64Array;
  /** Edge writes never visible in the cloud by the end of the drain. */
  unsynced: number;
  bytesUp: number;
  bytesDown: number;
  messagesUp: number;
  messagesDown: number;
  /** Configuration writes made while the other side's write to the same key was unseen. */
  conflicts: number;
  /** Configuration keys whose value differs between edge and cloud at the end. */
  divergentKeys: number;
  staleReads: StaleReads;
  /**
   * Per partition, the longest time after it healed until every edge's replica contained all
   * changes written before the heal, in µs; null when a replica never caught up.
   *
   * NOTE: the simulated links hold messages through a partition and deliver them when it
   * heals (store and forward), so this measures that flush, not a reconnection.
   */
  convergenceUs: (number | null)[];
  backlog: BacklogPoint[];
}

interface EdgeTrack {
  edge: EdgeSyncSide;
  cloud: SyncSide;
  /** Time of each edge write, indexed by its seq. */
  writeTimesUs: number[];
  /** Highest seq the cloud replica has shown so far. */
  seenSeq: number;
  /** Last configuration write per device, for conflict detection. */
  lastEdgeConfig: Map<string, number>;
  lastCloudConfigUs: Map<string, number>;
  cloudWrites: number;
}

/** Catch-up target of one edge after a partition heals. */
interface ConvergenceTarget {
  healUs: number;
  targetSeq: number;
  /** Partition index. */
  partition: number;
}

/** Runs `factory`'s scheme over `readings` and `reads` and measures it. */
export function runSyncScheme(
  scheme: string,
  factory: SyncSchemeFactory,
  readings: readonly EdgeReading[],
  reads: readonly CloudRead[],
  settings: SyncRunSettings,
  seed: number,
): SyncOutcome {
  const sim = new Simulator();
  const streams = new RandomStreams(seed);
  const transport = new SimTransport(sim, linkTable(settings, streams));
  const latencies: number[] = [];
  const tracks: EdgeTrack[] = [];
  const targetsByEdge: ConvergenceTarget[][] = [];
  const convergenceUs: (number | null)[] = settings.partitions.map(() => 0);
  for (let i = 0; i < settings.edges; i++) {
    const { edge, cloud } = factory(transport, sim, `edge-${i}`, settings.timing);
    const track: EdgeTrack = {
      edge,
      cloud,
      writeTimesUs: [0],
      seenSeq: 0,
      lastEdgeConfig: new Map(),
      lastCloudConfigUs: new Map(),
      cloudWrites: 0,
    };
    const targets: ConvergenceTarget[] = [];
    targetsByEdge.push(targets);
    cloud.onRemoteChange(() => {
      recordVisibility(track, sim.nowUs(), latencies);
      meetTargets(targets, track.seenSeq, sim.nowUs(), convergenceUs);
    });
    tracks.push(track);
    edge.start();
    cloud.start();
  }

  let conflicts = 0;
  const edgeWrite = (track: EdgeTrack, write: () => void) => {
    write();
    track.writeTimesUs.push(sim.nowUs());
  };

  // Readings, with alerts raised on the edge.
  const zScores = runningZScore();
  for (const reading of readings) {
    sim.scheduleAt(reading.timeUs, () => {
      const track = tracks[reading.edge];
      const { deviceId, value } = reading;
      edgeWrite(track, () => track.edge.writeReading(deviceId, value, sim.nowUs()));
      if (Math.abs(zScores(deviceId, value)) > settings.alertZScore) {
        edgeWrite(track, () => track.edge.writeAlert(deviceId, value, sim.nowUs()));
      }
    });
  }

  // Configuration writes on both sides, as Poisson processes per edge. An edge write counts as
  // a conflict when the edge's view of that key is older than the cloud's last write to it,
  // and a cloud write when the cloud's seq is below the edge's last write to that key.
  // NOTE: under the CRDT a concurrent edge write that won shows no cloud write in the edge's
  // view, so the edge's next write to that key counts once more.
  const configRandom = streams.stream("sync/config");
  for (const [i, track] of tracks.entries()) {
    const devices = configDeviceIds(readings, i, settings.configDevices);
    if (devices.length === 0) continue;
    poisson(sim, configRandom, settings.edgeConfigWritesPerHour, settings.durationUs, () => {
      const deviceId = devices[configRandom.integer(0, devices.length - 1)];
      const cloudWriteUs = track.lastCloudConfigUs.get(deviceId);
      const seen = track.edge.view().config[deviceId]?.writtenUs ?? -1;
      if (cloudWriteUs !== undefined && seen < cloudWriteUs) conflicts++;
      edgeWrite(track, () => track.edge.writeConfig(deviceId, configRandom.uniform(), sim.nowUs()));
      track.lastEdgeConfig.set(deviceId, track.writeTimesUs.length - 1);
    });
    poisson(sim, configRandom, settings.cloudConfigWritesPerHour, settings.durationUs, () => {
      const deviceId = devices[configRandom.integer(0, devices.length - 1)];
      const edgeSeq = track.lastEdgeConfig.get(deviceId);
      if (edgeSeq !== undefined && track.cloud.view().seq < edgeSeq) conflicts++;
      track.cloud.writeConfig(deviceId, configRandom.uniform(), sim.nowUs());
      track.lastCloudConfigUs.set(deviceId, sim.nowUs());
      track.cloudWrites++;
    });
  }

  // Cloud reads of device state, checked against the edge's newest value.
  const staleReads: StaleReads = { reads: 0, stale: 0, gapsUs: [] };
  for (const read of reads) {
    sim.scheduleAt(read.timeUs, () => {
      const track = tracks[read.edge];
      const newest = track.edge.view().devices[read.deviceId];
      const seen = track.cloud.view().devices[read.deviceId];
      staleReads.reads++;
      if (newest === undefined || (seen !== undefined && seen.seq >= newest.seq)) return;
      staleReads.stale++;
      staleReads.gapsUs.push(newest.changedUs - (seen?.changedUs ?? 0));
    });
  }

  // At each heal, every edge must deliver what it wrote so far.
  for (const [index, partition] of settings.partitions.entries()) {
    sim.scheduleAt(partition.toUs, () => {
      for (const [i, track] of tracks.entries()) {
        const targetSeq = track.writeTimesUs.length - 1;
        const target = { healUs: partition.toUs, targetSeq, partition: index };
        if (track.seenSeq < targetSeq) targetsByEdge[i].push(target);
      }
    });
  }

  const backlog = sampleBacklog(sim, tracks, settings);
  sim.run(settings.durationUs + settings.drainUs);
  for (const targets of targetsByEdge) {
    for (const target of targets) convergenceUs[target.partition] = null;
  }
  const outcome = summarise(scheme, tracks, latencies, conflicts, staleReads, backlog);
  return { ...outcome, convergenceUs };
}

/** Removes the targets `seenSeq` meets, raising their partition's convergence time. */
function meetTargets(
  targets: ConvergenceTarget[],
  seenSeq: number,
  nowUs: number,
  convergenceUs: (number | null)[],
): void {
  for (let i = targets.length - 1; i >= 0; i--) {
    const target = targets[i];
    if (seenSeq < target.targetSeq) continue;
    const previous = convergenceUs[target.partition] ?? 0;
    convergenceUs[target.partition] = Math.max(previous, nowUs - target.healUs);
    targets.splice(i, 1);
  }
}

/** Records the latency of every edge write that the cloud replica shows for the first time. */
function recordVisibility(track: EdgeTrack, nowUs: number, latencies: number[]): void {
  const seq = track.cloud.view().seq;
  for (let s = track.seenSeq + 1; s <= seq; s++) latencies.push(nowUs - track.writeTimesUs[s]);
  track.seenSeq = Math.max(track.seenSeq, seq);
}

function linkTable(settings: SyncRunSettings, streams: RandomStreams) {
  const links = new Map<string, NetworkLink>();
  return (topic: string): NetworkLink => {
    // Topics are `<scheme>/<edge>/<direction>`; each edge and direction has its own link.
    const [, edgeName, direction] = topic.split("/");
    const key = `${edgeName}/${direction}`;
    let link = links.get(key);
    if (link === undefined) {
      const edge = Number(edgeName.slice("edge-".length));
      link = new NetworkLink(settings.linkOf(edge), streams.stream(`sync/link/${key}`));
      links.set(key, link);
    }
    return link;
  };
}

/** Returns the first `count` device ids seen at edge `edge`, in order of first reading. */
function configDeviceIds(readings: readonly EdgeReading[], edge: number, count: number) {
  const ids = new Set<string>();
  for (const reading of readings) {
    if (reading.edge !== edge || ids.has(reading.deviceId)) continue;
    ids.add(reading.deviceId);
    if (ids.size === count) break;
  }
  return [...ids];
}

function poisson(
  sim: Simulator,
  random: RandomStream,
  perHour: number,
  endUs: number,
  callback: () => void,
): void {
  if (perHour <= 0) return;
  const ratePerUs = perHour / 3.6e9;
  for (let t = random.exponential(ratePerUs); t < endUs; t += random.exponential(ratePerUs)) {
    sim.scheduleAt(Math.round(t), callback);
  }
}

function sampleBacklog(sim: Simulator, tracks: EdgeTrack[], settings: SyncRunSettings) {
  const backlog: BacklogPoint[] = [];
  const endUs = settings.durationUs + settings.drainUs;
  for (let t = 0; t <= endUs; t += settings.sampleIntervalUs) {
    sim.scheduleAt(t, () => {
      let unseen = 0;
      for (const track of tracks) unseen += track.writeTimesUs.length - 1 - track.seenSeq;
      backlog.push({ timeUs: t, unseenChanges: unseen });
    });
  }
  return backlog;
}

function summarise(
  scheme: string,
  tracks: EdgeTrack[],
  latencies: number[],
  conflicts: number,
  staleReads: StaleReads,
  backlog: BacklogPoint[],
): Omit<SyncOutcome, "convergenceUs"> {
  let edgeChanges = 0;
  let cloudChanges = 0;
  let divergentKeys = 0;
  let bytesUp = 0;
  let bytesDown = 0;
  let messagesUp = 0;
  let messagesDown = 0;
  for (const track of tracks) {
    edgeChanges += track.writeTimesUs.length - 1;
    cloudChanges += track.cloudWrites;
    bytesUp += track.edge.traffic.bytesSent;
    bytesDown += track.cloud.traffic.bytesSent;
    messagesUp += track.edge.traffic.messagesSent;
    messagesDown += track.cloud.traffic.messagesSent;
    const edgeConfig = track.edge.view().config;
    const cloudConfig = track.cloud.view().config;
    for (const key of new Set([...Object.keys(edgeConfig), ...Object.keys(cloudConfig)])) {
      if (edgeConfig[key]?.value !== cloudConfig[key]?.value) divergentKeys++;
    }
  }
  staleReads.gapsUs.sort((a, b) => a - b);
  return {
    scheme,
    edgeChanges,
    cloudChanges,
    latenciesUs: Float64Array.from(latencies).sort(),
    unsynced: edgeChanges - latencies.length,
    bytesUp,
    bytesDown,
    messagesUp,
    messagesDown,
    conflicts,
    divergentKeys,
    staleReads,
    backlog,
  };
}
