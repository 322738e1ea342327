import { describe, expect, it } from "vitest";
import { describeEachBroker } from "../../test/mqtt-brokers.js";
import { startEmbeddedBroker } from "./embedded-broker.js";
import { MqttTransport, MqttTransportError } from "./mqtt-transport.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Resolves with the first `count` messages `transport` receives on `pattern`. */
function collect(transport: MqttTransport, pattern: string, count: number) {
  const received: string[] = [];
  return new Promise<string[]>((resolve) => {
    transport.subscribe(pattern, (topic, payload) => {
      received.push(`${topic}=${decoder.decode(payload)}`);
      if (received.length === count) resolve(received);
    });
  });
}

function waitFor(transport: MqttTransport, event: "connect" | "offline") {
  return new Promise<void>((resolve) => {
    const off = transport.on(event, () => {
      off();
      resolve();
    });
  });
}

describeEachBroker("MqttTransport", (broker) => {
  it("delivers to matching topic filters", async () => {
    const sender = await MqttTransport.connect(broker().url);
    const receiver = await MqttTransport.connect(broker().url);
    const received = collect(receiver, "test/filters/+/temp", 2);
    await receiver.subscribed();

    await sender.publishAsync("test/filters/a/temp", encoder.encode("1"));
    await sender.publishAsync("test/filters/a/humidity", encoder.encode("2"));
    await sender.publishAsync("test/filters/b/temp", encoder.encode("3"), { qos: 0 });

    expect(await received).toEqual(["test/filters/a/temp=1", "test/filters/b/temp=3"]);
    await Promise.all([sender.close(), receiver.close()]);
  });

  it("stops delivering after unsubscribe", async () => {
    const transport = await MqttTransport.connect(broker().url);
    const received: string[] = [];
    const unsubscribe = transport.subscribe("test/unsub/#", (topic) => received.push(topic));
    await transport.subscribed();
    unsubscribe();
    const marker = collect(transport, "test/marker", 1);
    await transport.subscribed();

    await transport.publishAsync("test/unsub/a", encoder.encode("x"));
    await transport.publishAsync("test/marker", encoder.encode("done"));
    await marker;

    expect(received).toEqual([]);
    await transport.close();
  });

  it("restores subscriptions after a reconnect", async (context) => {
    const drop = broker().drop;
    if (drop === null) context.skip(); // only the embedded broker can cut connections
    const receiver = await MqttTransport.connect(broker().url, { reconnectPeriodMs: 50 });
    const sender = await MqttTransport.connect(broker().url, { reconnectPeriodMs: 50 });
    const received = collect(receiver, "test/reconnect", 1);
    await receiver.subscribed();

    const reconnected = Promise.all([waitFor(receiver, "connect"), waitFor(sender, "connect")]);
    drop!();
    await reconnected;
    await receiver.subscribed();
    await sender.publishAsync("test/reconnect", encoder.encode("after"));

    expect(await received).toEqual(["test/reconnect=after"]);
    await Promise.all([sender.close(), receiver.close()]);
  });
});

describe("MqttTransport.connect", () => {
  it("rejects when no broker listens", async () => {
    const broker = await startEmbeddedBroker();
    const url = broker.url;
    await broker.close();
    const attempt = MqttTransport.connect(url, { connectTimeoutMs: 500, reconnectPeriodMs: 100 });
    await expect(attempt).rejects.toBeInstanceOf(MqttTransportError);
  });
});
