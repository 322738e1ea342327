/**
 * Publish/subscribe messaging as framework modules see it. In simulation it is the network
 * model; live, it is an MQTT or Kafka client.
 */

/** Called once per delivered message. */
export type MessageHandler = (topic: string, payload: Uint8Array) => void;

/** Topic-based publish/subscribe with MQTT-style patterns (`+` one level, `#` the rest). */
export interface Transport {
  /** Publishes `payload` on `topic`; delivery may be delayed, reordered or lost by the link. */
  publish(topic: string, payload: Uint8Array): void;
  /** Subscribes `handler` to every topic matching `pattern`; returns an unsubscribe function. */
  subscribe(pattern: string, handler: MessageHandler): () => void;
}
