import * as Automerge from "@automerge/automerge";
import { expect, it } from "vitest";
import type { CrdtSyncPeer } from "../framework/edge/crdt-sync.js";
import { createCrdtCloudReplica, createCrdtEdge } from "../framework/edge/crdt-nodes.js";
import {
  CLOUD_WRITER,
  writeConfig,
  writeReading,
  type EdgeState,
} from "../framework/edge/edge-state.js";
import { MqttTransport } from "../framework/runtime/mqtt-transport.js";
import { WallClock } from "../framework/runtime/wall-clock.js";
import { describeEachBroker } from "./mqtt-brokers.js";

const EDGES = 3;
const READINGS = 20;

/** Resolves once `isDone` holds, checking every 20 ms; rejects after `timeoutMs`. */
async function until(isDone: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!isDone()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function isConverged(edge: CrdtSyncPeer<EdgeState>, replica: CrdtSyncPeer<EdgeState>): boolean {
  const edgeHeads = Automerge.getHeads(edge.doc).sort().join();
  return edgeHeads === Automerge.getHeads(replica.doc).sort().join();
}

describeEachBroker("CRDT sync over MQTT", (broker) => {
  it("converges several edges with the cloud", async () => {
    const clock = new WallClock();
    // Topics carry a run prefix so a shared broker's retained traffic cannot interfere.
    const prefix = `t${Date.now()}`;
    const cloudTransport = await MqttTransport.connect(broker().url);
    const edgeTransports: MqttTransport[] = [];
    const edges: CrdtSyncPeer<EdgeState>[] = [];
    const replicas: CrdtSyncPeer<EdgeState>[] = [];
    for (let i = 0; i < EDGES; i++) {
      const replica = createCrdtCloudReplica(cloudTransport, clock, `${prefix}-edge-${i}`, {
        retryUs: 200_000,
      });
      replica.start();
      replicas.push(replica);
    }
    await cloudTransport.subscribed();
    for (let i = 0; i < EDGES; i++) {
      const transport = await MqttTransport.connect(broker().url);
      const edge = createCrdtEdge(transport, clock, `${prefix}-edge-${i}`, { retryUs: 200_000 });
      edge.start();
      await transport.subscribed();
      // A dropped connection comes back as a new session under the same identity.
      transport.on("connect", (attempt) => edge.reconnect(attempt));
      edgeTransports.push(transport);
      edges.push(edge);
    }

    for (let n = 0; n < READINGS; n++) {
      for (const [i, edge] of edges.entries()) {
        edge.update((doc) => writeReading(doc, `d${n % 5}`, n, clock.nowUs()));
        if (n === READINGS / 2) {
          replicas[i].update((doc) => writeConfig(doc, "d0", 42, CLOUD_WRITER, clock.nowUs()));
          broker().drop?.();
        }
      }
    }
    await until(() => edges.every((edge, i) => isConverged(edge, replicas[i])), 15_000);

    for (let i = 0; i < EDGES; i++) {
      expect(replicas[i].doc.seq).toBe(READINGS);
      expect(edges[i].doc.config.d0.value).toBe(42);
    }
    for (const peer of [...edges, ...replicas]) peer.stop();
    clock.cancelAll();
    await Promise.all([cloudTransport, ...edgeTransports].map((transport) => transport.close()));
  }, 30_000);
});
