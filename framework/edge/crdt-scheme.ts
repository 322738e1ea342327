/**
 * The CRDT scheme behind the common sync interface: Automerge documents synced by
 * `CrdtSyncPeer`, one edge document and one cloud replica per edge node.
 */
import type { CrdtSyncPeer } from "./crdt-sync.js";
import { createCrdtCloudReplica, createCrdtEdge } from "./crdt-nodes.js";
import {
  CLOUD_WRITER,
  writeAlert,
  writeConfig,
  writeReading,
  type EdgeState,
} from "./edge-state.js";
import type { EdgeSyncSide, SyncSchemeFactory, SyncTraffic } from "./sync-scheme.js";

/** One side of the CRDT scheme. */
class CrdtSide implements EdgeSyncSide {
  constructor(
    /** The sync peer, for its document and counters. */
    readonly peer: CrdtSyncPeer<EdgeState>,
    private readonly writer: string,
  ) {}

  get traffic(): SyncTraffic {
    return this.peer.stats;
  }

  view(): Readonly<EdgeState> {
    return this.peer.doc;
  }

  start(): void {
    this.peer.start();
  }

  onRemoteChange(listener: () => void): void {
    this.peer.onRemoteChange(listener);
  }

  writeReading(deviceId: string, value: number, nowUs: number): void {
    this.peer.update((doc) => writeReading(doc, deviceId, value, nowUs));
  }

  writeAlert(deviceId: string, value: number, nowUs: number): void {
    this.peer.update((doc) => writeAlert(doc, deviceId, value, nowUs));
  }

  writeConfig(deviceId: string, value: number, nowUs: number): void {
    this.peer.update((doc) => writeConfig(doc, deviceId, value, this.writer, nowUs));
  }
}

/** Creates both sides of one edge's CRDT sync. */
export const createCrdtSync: SyncSchemeFactory = (transport, clock, edgeId, timing) => {
  const options = { retryUs: timing.retryUs };
  return {
    edge: new CrdtSide(createCrdtEdge(transport, clock, edgeId, options), edgeId),
    cloud: new CrdtSide(createCrdtCloudReplica(transport, clock, edgeId, options), CLOUD_WRITER),
  };
};
