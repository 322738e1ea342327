/**
 * A Transport whose test decides the fate of every published message: deliver it, deliver a
 * copy, drop it, or deliver the pending ones in any order. Timers run on a Simulator, so
 * resend timers fire when the test advances time.
 */
import type { MessageHandler, Transport } from "../framework/runtime/transport.js";
import { topicMatches } from "../framework/runtime/topic-pattern.js";
import { Simulator } from "../sim/simulator.js";

/** A published message not yet delivered or dropped. */
export interface PendingMessage {
  topic: string;
  payload: Uint8Array;
}

/** Publish/subscribe with test-controlled delivery. */
export class ControlledTransport implements Transport {
  readonly clock = new Simulator();
  readonly pending: PendingMessage[] = [];
  private readonly subscriptions = new Set<{ pattern: string; handler: MessageHandler }>();

  publish(topic: string, payload: Uint8Array): void {
    this.pending.push({ topic, payload });
  }

  subscribe(pattern: string, handler: MessageHandler): () => void {
    const subscription = { pattern, handler };
    this.subscriptions.add(subscription);
    return () => this.subscriptions.delete(subscription);
  }

  /** Delivers and removes the pending message at `index`. */
  deliver(index: number): void {
    const [message] = this.pending.splice(index, 1);
    this.dispatch(message);
  }

  /** Delivers a copy of the pending message at `index` and keeps it pending. */
  duplicate(index: number): void {
    this.dispatch(this.pending[index]);
  }

  /** Removes the pending message at `index` without delivering it. */
  drop(index: number): void {
    this.pending.splice(index, 1);
  }

  /** Drops every pending message on `topic`. */
  dropTopic(topic: string): void {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      if (this.pending[i].topic === topic) this.pending.splice(i, 1);
    }
  }

  /**
   * Delivers messages in publication order, and advances time by `stepUs` whenever none are
   * pending so that resend timers fire, until nothing is pending and no timer is left or
   * `maxRounds` rounds have run. Returns the rounds used.
   */
  settle(stepUs: number, maxRounds = 10_000): number {
    for (let round = 1; round <= maxRounds; round++) {
      if (this.pending.length > 0) this.deliver(0);
      else if (this.clock.pendingEvents > 0) this.clock.run(this.clock.nowUs() + stepUs);
      else return round;
    }
    return maxRounds;
  }

  private dispatch(message: PendingMessage): void {
    for (const subscription of [...this.subscriptions]) {
      if (topicMatches(subscription.pattern, message.topic)) {
        subscription.handler(message.topic, message.payload);
      }
    }
  }
}
