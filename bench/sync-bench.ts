/**
 * Edge-cloud CRDT sync figures for a 1,000-device document. They cover per-change sync
 * latency in process and over loopback MQTT (embedded aedes, and Mosquitto when MOSQUITTO_URL
 * is set), and messages per second under a burst. They also compare bytes per change with the
 * JSON delta a last-writer-wins push of the same change would send, and time the cloud
 * merging a partition backlog.
 *
 * SYNC_BENCH_BACKLOG sets the backlog size (default 100,000 changes; creating them dominates
 * the run time).
 */
import * as Automerge from "@automerge/automerge";
import { quantileSorted } from "simple-statistics";
import { createCrdtCloudReplica, createCrdtEdge } from "../framework/edge/crdt-nodes.js";
import type { CrdtSyncPeer } from "../framework/edge/crdt-sync.js";
import { openEdgeDocument, writeReading, type EdgeState } from "../framework/edge/edge-state.js";
import { startEmbeddedBroker } from "../framework/runtime/embedded-broker.js";
import { MqttTransport } from "../framework/runtime/mqtt-transport.js";
import type { MessageHandler, Transport } from "../framework/runtime/transport.js";
import { topicMatches } from "../framework/runtime/topic-pattern.js";
import { WallClock } from "../framework/runtime/wall-clock.js";

const DEVICES = 1_000;
const LATENCY_CHANGES = 300;
const BURST_CHANGES = 1_000;

/** Targets the figures are judged against. */
const targets = {
  mqttP99Ms: 10,
  bytesVsLwwDelta: 2,
  backlogMergeMs: 2_000,
};

/** Delivers every message synchronously, for the in-process figures. */
class DirectTransport implements Transport {
  private readonly subscriptions: { pattern: string; handler: MessageHandler }[] = [];

  publish(topic: string, payload: Uint8Array): void {
    // Deferred to a microtask so a handler never runs inside the sender's call.
    queueMicrotask(() => {
      for (const { pattern, handler } of this.subscriptions) {
        if (topicMatches(pattern, topic)) handler(topic, payload);
      }
    });
  }

  subscribe(pattern: string, handler: MessageHandler): () => void {
    const subscription = { pattern, handler };
    this.subscriptions.push(subscription);
    return () => this.subscriptions.splice(this.subscriptions.indexOf(subscription), 1);
  }
}

/** Prints the sync figures. */
export async function runBenchmark(): Promise<void> {
  process.stdout.write(`sync (Automerge CRDT, ${DEVICES}-device document)\n`);
  const direct = new DirectTransport();
  await latencyFigures("in process", direct, direct);

  const broker = await startEmbeddedBroker();
  try {
    await mqttFigures("aedes loopback", broker.url);
  } finally {
    await broker.close();
  }
  const mosquittoUrl = process.env.MOSQUITTO_URL;
  if (mosquittoUrl !== undefined && mosquittoUrl !== "") {
    await mqttFigures("mosquitto loopback", mosquittoUrl);
  } else {
    process.stdout.write("  mosquitto: skipped (MOSQUITTO_URL not set)\n");
  }

  bytesFigures();
  backlogFigures(Number(process.env.SYNC_BENCH_BACKLOG ?? 100_000));
}

async function mqttFigures(label: string, url: string): Promise<void> {
  const edgeTransport = await MqttTransport.connect(url, { qos: 1 });
  const cloudTransport = await MqttTransport.connect(url, { qos: 1 });
  try {
    await latencyFigures(label, edgeTransport, cloudTransport, () =>
      Promise.all([edgeTransport.subscribed(), cloudTransport.subscribed()]).then(() => {}),
    );
  } finally {
    await Promise.all([edgeTransport.close(), cloudTransport.close()]);
  }
}

/**
 * Measures change-to-visibility latency one change at a time, then a burst of changes
 * written back to back, over the given transports.
 */
async function latencyFigures(
  label: string,
  edgeTransport: Transport,
  cloudTransport: Transport,
  whenSubscribed: () => Promise<void> = async () => {},
): Promise<void> {
  const clock = new WallClock();
  // Changes of one event-loop turn share a sync message.
  const timing = { retryUs: 500_000, batchDelayUs: 0 };
  const edgeId = `bench-${label.replace(/\W+/g, "-")}-${process.pid}`;
  const replica = createCrdtCloudReplica(cloudTransport, clock, edgeId, timing);
  const edge = createCrdtEdge(edgeTransport, clock, edgeId, timing);
  replica.start();
  edge.start();
  await whenSubscribed();

  // Fill the document with 1,000 devices and let the replica catch up.
  edge.update((doc) => fillDevices(doc));
  await visible(replica, edge.doc.seq);

  const latenciesMs: number[] = [];
  const loopMessagesBefore = edge.stats.messagesSent + replica.stats.messagesSent;
  const loopStartMs = performance.now();
  for (let n = 0; n < LATENCY_CHANGES; n++) {
    const startMs = performance.now();
    edge.update((doc) => writeReading(doc, `d${n % DEVICES}`, n + 0.5, clock.nowUs()));
    await visible(replica, edge.doc.seq);
    latenciesMs.push(performance.now() - startMs);
  }
  const loopSeconds = (performance.now() - loopStartMs) / 1_000;
  const loopMessages = edge.stats.messagesSent + replica.stats.messagesSent - loopMessagesBefore;
  latenciesMs.sort((a, b) => a - b);

  const sentBefore = edge.stats.messagesSent + replica.stats.messagesSent;
  const burstStartMs = performance.now();
  for (let n = 0; n < BURST_CHANGES; n++) {
    edge.update((doc) => writeReading(doc, `d${n % DEVICES}`, n, clock.nowUs()));
  }
  await visible(replica, edge.doc.seq);
  const burstSeconds = (performance.now() - burstStartMs) / 1_000;
  const messages = edge.stats.messagesSent + replica.stats.messagesSent - sentBefore;

  edge.stop();
  replica.stop();
  clock.cancelAll();
  const p50 = quantileSorted(latenciesMs, 0.5);
  const p99 = quantileSorted(latenciesMs, 0.99);
  const isNetwork = label !== "in process";
  process.stdout.write(
    `  ${label}: change to replica p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms` +
      (isNetwork
        ? ` (target p99 < ${targets.mqttP99Ms} ms: ${p99 < targets.mqttP99Ms ? "met" : "MISSED"})`
        : "") +
      `\n    one change at a time: ${(LATENCY_CHANGES / loopSeconds).toFixed(0)} changes/s, ` +
      `${(loopMessages / loopSeconds).toFixed(0)} messages/s (${loopMessages} messages)` +
      `\n    burst of ${BURST_CHANGES} changes written back to back: ` +
      `${(BURST_CHANGES / burstSeconds).toFixed(0)} changes/s in ${messages} messages\n`,
  );
}

function fillDevices(doc: Automerge.Doc<EdgeState>): Automerge.Doc<EdgeState> {
  const first = doc.seq;
  return Automerge.change(doc, (state) => {
    for (let i = 0; i < DEVICES; i++) {
      state.devices[`d${i}`] = { value: i, changedUs: 0, seq: first + i + 1 };
    }
    state.seq = first + DEVICES;
  });
}

/** Resolves once the replica's `seq` reaches `seq`; rejects after 300 s. */
function visible(replica: CrdtSyncPeer<EdgeState>, seq: number): Promise<void> {
  if (replica.doc.seq >= seq) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timeout = setTimeout(
      () => reject(new Error(`replica did not reach seq ${seq} in 300 s`)),
      300_000,
    );
    const remove = replica.onRemoteChange((doc) => {
      if (doc.seq < seq) return;
      clearTimeout(timeout);
      remove();
      resolve();
    });
  });
}

/**
 * Compares the bytes of one reading's sync exchange (every message both ways, envelopes
 * included) with the JSON delta a last-writer-wins push would send for the same change.
 */
function bytesFigures(): void {
  let edge = openEdgeDocument("bytes", "bytes");
  let replica = openEdgeDocument("bytes", "cloud");
  edge = fillDevices(edge);
  [edge, replica] = syncInProcess(edge, replica).docs;

  const ratios: number[] = [];
  let crdtTotal = 0;
  let lwwTotal = 0;
  for (let n = 0; n < 200; n++) {
    const deviceId = `d${(n * 7) % DEVICES}`;
    edge = writeReading(edge, deviceId, 20 + n / 10, 1_700_000_000_000_000 + n);
    const reading = edge.devices[deviceId];
    const delta = { seq: edge.seq, devices: { [deviceId]: { ...reading } } };
    const lwwBytes = new TextEncoder().encode(JSON.stringify(delta)).byteLength;
    const exchange = syncInProcess(edge, replica);
    [edge, replica] = exchange.docs;
    ratios.push(exchange.bytes / lwwBytes);
    crdtTotal += exchange.bytes;
    lwwTotal += lwwBytes;
  }
  ratios.sort((a, b) => a - b);
  const ratio = crdtTotal / lwwTotal;
  process.stdout.write(
    `  bytes per change: CRDT ${(crdtTotal / 200).toFixed(0)} B (all sync messages, 6 B envelopes included) ` +
      `vs LWW JSON delta ${(lwwTotal / 200).toFixed(0)} B, ratio ${ratio.toFixed(2)} ` +
      `(median ${quantileSorted(ratios, 0.5).toFixed(2)}; target within ${targets.bytesVsLwwDelta}x: ` +
      `${ratio <= targets.bytesVsLwwDelta ? "met" : "MISSED"})\n`,
  );
}

/** Runs the sync protocol between two documents until quiet; returns them and the bytes sent. */
function syncInProcess(a: Automerge.Doc<EdgeState>, b: Automerge.Doc<EdgeState>) {
  let stateA = Automerge.initSyncState();
  let stateB = Automerge.initSyncState();
  let bytes = 0;
  for (let round = 0; round < 20; round++) {
    let messageA: Uint8Array | null;
    let messageB: Uint8Array | null;
    [stateA, messageA] = Automerge.generateSyncMessage(a, stateA);
    if (messageA !== null) {
      bytes += messageA.byteLength + 6;
      [b, stateB] = Automerge.receiveSyncMessage(b, stateB, messageA);
    }
    [stateB, messageB] = Automerge.generateSyncMessage(b, stateB);
    if (messageB !== null) {
      bytes += messageB.byteLength + 6;
      [a, stateA] = Automerge.receiveSyncMessage(a, stateA, messageB);
    }
    if (messageA === null && messageB === null) break;
  }
  return { docs: [a, b] as const, bytes };
}

/**
 * Builds a backlog of `changes` edge changes that the replica has not seen (as after a long
 * partition), then times the replica merging it through the sync protocol.
 */
function backlogFigures(changes: number): void {
  let edge = fillDevices(openEdgeDocument("backlog", "backlog"));
  let replica = openEdgeDocument("backlog", "cloud");
  [edge, replica] = syncInProcess(edge, replica).docs;

  const headsBefore = Automerge.getHeads(edge);
  const buildStartMs = performance.now();
  for (let n = 0; n < changes; n++) {
    edge = writeReading(edge, `d${n % DEVICES}`, n, 1_700_000_000_000_000 + n * 36_000);
  }
  const buildMs = performance.now() - buildStartMs;

  const replicaForChunk = Automerge.clone(replica);
  const mergeStartMs = performance.now();
  const exchange = syncInProcess(edge, replica);
  const mergeMs = performance.now() - mergeStartMs;
  const isComplete = exchange.docs[1].seq === edge.seq;

  // The same backlog as one compressed chunk (saveSince), applied with loadIncremental.
  const chunkStartMs = performance.now();
  const chunk = Automerge.saveSince(edge, headsBefore);
  const loaded = Automerge.loadIncremental(replicaForChunk, chunk);
  const chunkMs = performance.now() - chunkStartMs;
  const isChunkComplete = loaded.seq === edge.seq;
  process.stdout.write(
    `  partition backlog of ${changes} changes: merged into the replica in ${mergeMs.toFixed(0)} ms ` +
      `(${(exchange.bytes / 1e6).toFixed(1)} MB of sync messages, complete: ${isComplete}; ` +
      `target < ${targets.backlogMergeMs} ms for 100000: ` +
      `${changes >= 100_000 ? (mergeMs < targets.backlogMergeMs ? "met" : "MISSED") : "not measured at this size"}); ` +
      `writing the changes took ${(buildMs / 1_000).toFixed(1)} s\n` +
      `    as one saveSince chunk with loadIncremental: ${chunkMs.toFixed(0)} ms ` +
      `(${(chunk.byteLength / 1e6).toFixed(2)} MB, complete: ${isChunkComplete})\n`,
  );
}
