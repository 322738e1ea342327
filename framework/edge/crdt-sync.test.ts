import * as Automerge from "@automerge/automerge";
import { describe, expect, it } from "vitest";
import { ControlledTransport } from "../../test/sync-network.js";
import { createCrdtCloudReplica, createCrdtEdge, syncTopics } from "./crdt-nodes.js";
import { CLOUD_WRITER, configConflicts, writeConfig, writeReading } from "./edge-state.js";

const SECOND_US = 1_000_000;

function pair() {
  const network = new ControlledTransport();
  const edge = createCrdtEdge(network, network.clock, "edge-0");
  const cloud = createCrdtCloudReplica(network, network.clock, "edge-0");
  edge.start();
  cloud.start();
  return { network, edge, cloud };
}

describe("CrdtSyncPeer", () => {
  it("brings an edge reading to the cloud replica", () => {
    const { network, edge, cloud } = pair();
    edge.update((doc) => writeReading(doc, "d1", 21.5, 100));
    network.settle(SECOND_US);
    expect(cloud.doc.devices.d1).toEqual({ value: 21.5, changedUs: 100, seq: 1 });
  });

  it("brings a cloud configuration write to the edge", () => {
    const { network, edge, cloud } = pair();
    cloud.update((doc) => writeConfig(doc, "d1", 40, CLOUD_WRITER, 5));
    network.settle(SECOND_US);
    expect(edge.doc.config.d1.value).toBe(40);
  });

  it("keeps both values of concurrent configuration writes", () => {
    // edge:  base -> config.d1 = 1
    // cloud: base -> config.d1 = 2   (neither saw the other)
    const { network, edge, cloud } = pair();
    network.settle(SECOND_US);
    edge.update((doc) => writeConfig(doc, "d1", 1, "edge-0", 10));
    cloud.update((doc) => writeConfig(doc, "d1", 2, CLOUD_WRITER, 10));
    network.settle(SECOND_US);
    expect(edge.doc.config.d1.value).toBe(cloud.doc.config.d1.value);
    expect(configConflicts(cloud.doc, "d1")).toBe(2);
  });

  it("goes quiet once converged", () => {
    const { network, edge } = pair();
    edge.update((doc) => writeReading(doc, "d1", 1, 0));
    network.settle(SECOND_US);
    network.clock.run(network.clock.nowUs() + 60 * SECOND_US);
    expect(network.pending).toEqual([]);
  });

  it("resends after a lost message", () => {
    const { network, edge, cloud } = pair();
    network.settle(SECOND_US);
    edge.update((doc) => writeReading(doc, "d1", 7, 0));
    network.dropTopic(syncTopics("edge-0").up);
    network.settle(SECOND_US);
    expect(cloud.doc.devices.d1.value).toBe(7);
    expect(edge.stats.retries).toBeGreaterThan(0);
  });

  it("converges when a reply is lost and the edge reconnects", () => {
    const { network, edge, cloud } = pair();
    network.settle(SECOND_US);
    edge.update((doc) => writeReading(doc, "d1", 3, 0));
    cloud.update((doc) => writeConfig(doc, "d2", 9, CLOUD_WRITER, 0));
    network.deliver(0); // the edge's change reaches the cloud
    network.dropTopic(syncTopics("edge-0").down); // every cloud reply is lost

    // The edge process restarts under the same identity: same actor, document kept on disk,
    // sync state lost, new session number.
    edge.stop();
    const restarted = createCrdtEdge(network, network.clock, "edge-0", { session: 1 });
    restarted.update(() =>
      Automerge.load(Automerge.save(edge.doc), { actor: Automerge.getActorId(edge.doc) }),
    );
    restarted.start();
    const rounds = network.settle(SECOND_US, 1_000);

    expect(rounds).toBeLessThan(1_000);
    expect(Automerge.getHeads(restarted.doc)).toEqual(Automerge.getHeads(cloud.doc));
    expect(restarted.doc.config.d2.value).toBe(9);
    expect(cloud.stats.remoteSessionChanges).toBe(1);
  });

  it("converges when the edge reconnects keeping its sync state", () => {
    const { network, edge, cloud } = pair();
    network.settle(SECOND_US);
    edge.update((doc) => writeReading(doc, "d1", 3, 0));
    network.deliver(0);
    network.dropTopic(syncTopics("edge-0").down);
    edge.reconnect(1);
    network.settle(SECOND_US, 1_000);
    expect(Automerge.getHeads(edge.doc)).toEqual(Automerge.getHeads(cloud.doc));
  });
});
