/**
 * Wiring of the CRDT scheme: each edge node syncs its document with the cloud's replica of it
 * over two topics per edge, `sync/<edge>/up` (edge to cloud) and `sync/<edge>/down`.
 *
 * The cloud keeps one replica per edge rather than one merged document. Every edge's history
 * stays separate, so a sync message on an uplink carries only that edge's changes, a slow or partitioned edge delays no other edge, and an edge never receives other edges' devices. The
 * cost is that a query across areas reads several replicas.
 */
import type { Clock } from "../runtime/clock.js";
import type { Transport } from "../runtime/transport.js";
import { CrdtSyncPeer, type CrdtSyncOptions } from "./crdt-sync.js";
import { CLOUD_WRITER, openEdgeDocument, type EdgeState } from "./edge-state.js";

/** Topics of one edge's sync session. */
export function syncTopics(edgeId: string): { up: string; down: string } {
  return { up: `sync/${edgeId}/up`, down: `sync/${edgeId}/down` };
}

/** Timing options shared by both sides. */
export type CrdtTiming = Pick<
  CrdtSyncOptions,
  "retryUs" | "maxRetryUs" | "session" | "batchDelayUs"
>;

/** Creates the edge side of `edgeId`'s session; call `start` to begin syncing. */
export function createCrdtEdge(
  transport: Transport,
  clock: Clock,
  edgeId: string,
  timing: CrdtTiming = {},
): CrdtSyncPeer<EdgeState> {
  const topics = syncTopics(edgeId);
  return new CrdtSyncPeer(transport, clock, openEdgeDocument(edgeId, edgeId), {
    ...timing,
    sendTopic: topics.up,
    receiveTopic: topics.down,
  });
}

/** Creates the cloud's replica of `edgeId`'s document; call `start` to begin syncing. */
export function createCrdtCloudReplica(
  transport: Transport,
  clock: Clock,
  edgeId: string,
  timing: CrdtTiming = {},
): CrdtSyncPeer<EdgeState> {
  const topics = syncTopics(edgeId);
  return new CrdtSyncPeer(transport, clock, openEdgeDocument(edgeId, CLOUD_WRITER), {
    ...timing,
    sendTopic: topics.down,
    receiveTopic: topics.up,
  });
}
