/**
 * The Transport of a simulated run: a message published now is delivered to every matching
 * subscriber when the network model says it arrives.
 */
import type { MessageHandler, Transport } from "../framework/runtime/transport.js";
import { topicMatches } from "../framework/runtime/topic-pattern.js";
import type { NetworkLink } from "./network.js";
import type { Simulator } from "./simulator.js";

/** Publish/subscribe over simulated links; `linkFor` picks the link a topic travels on. */
export class SimTransport implements Transport {
  private readonly subscriptions = new Set<{ pattern: string; handler: MessageHandler }>();

  constructor(
    private readonly sim: Simulator,
    private readonly linkFor: (topic: string) => NetworkLink,
  ) {}

  publish(topic: string, payload: Uint8Array): void {
    const deliveryUs = this.linkFor(topic).deliveryUs(this.sim.nowUs(), payload.byteLength);
    this.sim.scheduleAt(deliveryUs, () => {
      for (const subscription of this.subscriptions) {
        if (topicMatches(subscription.pattern, topic)) subscription.handler(topic, payload);
      }
    });
  }

  subscribe(pattern: string, handler: MessageHandler): () => void {
    const subscription = { pattern, handler };
    this.subscriptions.add(subscription);
    return () => this.subscriptions.delete(subscription);
  }
}
