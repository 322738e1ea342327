/**
 * Edge to cloud over MQTT, for live runs without Kafka: the edge bridge publishes forward
 * batches on `<root>cloud/ingest/<area>` and dead letters on `<root>cloud/dead-letter/<area>`
 * with QoS 1, and the cloud consumer subscribes to both with a persistent session. The root
 * (see `recordTopic`) is the same as the device topics'.
 */
import type { MqttClient } from "mqtt";
import type { Clock } from "../runtime/clock.js";
import {
  decodeDeadLetter,
  decodeForwardBatch,
  encodeJson,
  type CloudInputHandlers,
  type CloudSource,
  type DeadLetter,
  type EdgeForwarder,
  type ForwardBatch,
} from "./forward-batch.js";
import type { LiveLogger } from "./live-log.js";
import { publishAsync } from "./mqtt-connection.js";

const INGEST = "cloud/ingest/";
const DEAD_LETTER = "cloud/dead-letter/";

/** Forwards edge output on MQTT topics with QoS 1. */
export class MqttForwarder implements EdgeForwarder {
  constructor(
    private readonly client: MqttClient,
    private readonly topicRoot = "",
  ) {}

  forward(batch: ForwardBatch): Promise<void> {
    const topic = `${this.topicRoot}${INGEST}${batch.area}`;
    return publishAsync(this.client, topic, encodeJson(batch), 1);
  }

  deadLetter(letter: DeadLetter): Promise<void> {
    // The rejected message's topic is `<root>iot/<area>/...`.
    const deviceTopic = letter.topic.startsWith(this.topicRoot)
      ? letter.topic.slice(this.topicRoot.length)
      : letter.topic;
    const area = deviceTopic.split("/")[1] ?? "unknown";
    const topic = `${this.topicRoot}${DEAD_LETTER}${area}`;
    return publishAsync(this.client, topic, encodeJson(letter), 1);
  }
}

/**
 * The cloud side's MQTT subscription. MQTT has no consumer offsets, so `lag` is null. `pause`
 * holds back the completion of the message being handled: mqtt.js then neither acknowledges it
 * nor reads the socket further, so TCP flow control stops the broker's sends and the backlog
 * stays in the broker. While paused, the process keeps about one socket read of parsed messages
 * (libuv reads up to 64 KiB at a time) plus the stream's buffer, and the kernel keeps its
 * socket buffers. With the embedded broker the broker's
 * queue is in this process too, so bounded memory under overload needs an external broker.
 */
export class MqttCloudSource implements CloudSource {
  private isPaused = false;
  /** Completions of messages handled while paused, released in order by `resume`. */
  private heldCompletions: (() => void)[] = [];

  private readonly ingestPrefix: string;
  private readonly deadLetterPrefix: string;

  constructor(
    private readonly client: MqttClient,
    private readonly clock: Clock,
    private readonly log: LiveLogger,
    topicRoot = "",
  ) {
    this.ingestPrefix = `${topicRoot}${INGEST}`;
    this.deadLetterPrefix = `${topicRoot}${DEAD_LETTER}`;
  }

  async start(handlers: CloudInputHandlers): Promise<void> {
    this.client.on("message", (topic, payload) => {
      try {
        if (topic.startsWith(this.ingestPrefix)) {
          handlers.onBatch(decodeForwardBatch(payload), this.clock.nowUs());
        } else if (topic.startsWith(this.deadLetterPrefix)) {
          handlers.onDeadLetter(decodeDeadLetter(payload));
        }
      } catch (error) {
        this.log("error", "cloud input could not be decoded", {
          topic,
          error: (error as Error).message,
        });
      }
    });
    // mqtt.js emits "message" first, then waits for this callback before it sends the PUBACK
    // and handles the next packet.
    this.client.handleMessage = (_packet, callback) => {
      if (this.isPaused) this.heldCompletions.push(() => callback());
      else callback();
    };
    await this.client.subscribeAsync(this.filters(), { qos: 1 });
  }

  pause(): void {
    this.isPaused = true;
  }

  resume(): void {
    this.isPaused = false;
    const completions = this.heldCompletions;
    this.heldCompletions = [];
    for (const complete of completions) complete();
  }

  async lag(): Promise<number | null> {
    return null;
  }

  /**
   * Unsubscribes, so the broker stops queueing for this persistent session once the run is
   * over. The caller ends the client.
   */
  async close(): Promise<void> {
    this.resume();
    await this.client.unsubscribeAsync(this.filters());
  }

  private filters(): string[] {
    return [`${this.ingestPrefix}+`, `${this.deadLetterPrefix}+`];
  }
}
