import { describe, expect, it } from "vitest";
import { NetworkLink } from "./network.js";
import { RandomStreams } from "./random.js";
import { SimTransport } from "./sim-transport.js";
import { Simulator } from "./simulator.js";

function transportWithLatency(latencyUs: number) {
  const sim = new Simulator();
  const link = new NetworkLink(
    {
      latencyMedianUs: latencyUs,
      latencySigma: 0,
      bandwidthMbps: 1_000,
      lossRate: 0,
      retransmitTimeoutUs: 1,
      partitions: [],
    },
    new RandomStreams(1).stream("link"),
  );
  return { sim, transport: new SimTransport(sim, () => link) };
}

describe("SimTransport", () => {
  it("delivers to matching subscribers after the link latency", () => {
    const { sim, transport } = transportWithLatency(5_000);
    const received: [string, number][] = [];
    transport.subscribe("city/+/temp", (topic) => received.push([topic, sim.nowUs()]));
    transport.publish("city/a/temp", new Uint8Array(0));
    transport.publish("city/a/humidity", new Uint8Array(0));
    sim.run();
    expect(received).toEqual([["city/a/temp", 5_000]]);
  });

  it("stops delivering after unsubscribe", () => {
    const { sim, transport } = transportWithLatency(1_000);
    const received: string[] = [];
    const unsubscribe = transport.subscribe("#", (topic) => received.push(topic));
    unsubscribe();
    transport.publish("city/a/temp", new Uint8Array(0));
    sim.run();
    expect(received).toEqual([]);
  });
});
