/**
 * The edge bridge: one subscriber standing in for the scenario's edge nodes. It takes every
 * device message from MQTT, validates it, sends rejected payloads to the dead-letter topic
 * with the reason, and forwards the valid records of each area in batches, as an edge gateway
 * batches its uplink. Like the simulated edge stage it filters and forwards; it does not
 * change values, because the cloud windows need every reading.
 */
import type { MqttClient } from "mqtt";
import type { Clock, TimerHandle } from "../runtime/clock.js";
import type { DeadLetter, EdgeForwarder } from "./forward-batch.js";
import { decodeRecord, type LiveRecord } from "./live-record.js";
import type { LiveLogger } from "./live-log.js";

/** Settings of an `EdgeBridge`. */
export interface EdgeBridgeOptions {
  clock: Clock;
  client: MqttClient;
  /** QoS of the subscription. */
  qos: 0 | 1;
  forwarder: EdgeForwarder;
  log: LiveLogger;
  /** Maximum time a record waits at the edge before its batch is sent, in µs. Default 50 ms. */
  flushIntervalUs?: number;
  /** Records per forward batch at most. Default 500. */
  maxBatchRecords?: number;
  /** Root of the device topics (see `recordTopic`); default empty. */
  topicRoot?: string;
}

/** Counters of the edge bridge. */
export interface EdgeStats {
  received: number;
  forwarded: number;
  deadLettered: number;
  batches: number;
  forwardFailures: number;
}

/** Validates device messages and forwards them per area. */
export class EdgeBridge {
  readonly stats: EdgeStats = {
    received: 0,
    forwarded: 0,
    deadLettered: 0,
    batches: 0,
    forwardFailures: 0,
  };
  private readonly buffers = new Map<string, LiveRecord[]>();
  private readonly pending = new Set<Promise<void>>();
  private flushTimer: TimerHandle | null = null;
  private readonly flushIntervalUs: number;
  private readonly maxBatchRecords: number;
  /** Topic prefix of every device message: `<root>iot/`. */
  private readonly devicePrefix: string;

  constructor(private readonly options: EdgeBridgeOptions) {
    this.flushIntervalUs = options.flushIntervalUs ?? 50_000;
    this.maxBatchRecords = options.maxBatchRecords ?? 500;
    this.devicePrefix = `${options.topicRoot ?? ""}iot/`;
  }

  /** Subscribes to the device topics; resolves once the broker has granted the subscription. */
  async start(): Promise<void> {
    this.options.client.on("message", (topic, payload) => this.onMessage(topic, payload));
    await this.options.client.subscribeAsync(this.deviceFilter(), { qos: this.options.qos });
  }

  /**
   * Unsubscribes, so the broker stops queueing device messages for this persistent session
   * once the run is over.
   */
  async stop(): Promise<void> {
    await this.options.client.unsubscribeAsync(this.deviceFilter());
  }

  /** MQTT filter of every device message: `<root>iot/<area>/<device>/<metric>`. */
  private deviceFilter(): string {
    return `${this.devicePrefix}+/+/+`;
  }

  /** Sends every buffered record and waits for all sends to be acknowledged. */
  async flush(): Promise<void> {
    if (this.flushTimer !== null) this.options.clock.cancel(this.flushTimer);
    this.flushTimer = null;
    for (const area of [...this.buffers.keys()]) this.sendBuffer(area);
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private onMessage(topic: string, payload: Uint8Array): void {
    if (!topic.startsWith(this.devicePrefix)) return;
    this.stats.received++;
    const decoded = decodeRecord(payload);
    if (!decoded.ok) {
      this.sendDeadLetter({
        id: decoded.id,
        reason: decoded.reason,
        topic,
        payload: Buffer.from(payload).toString("utf8").slice(0, 1_000),
        rejectedAtUs: this.options.clock.nowUs(),
      });
      return;
    }

    const area = topic.slice(this.devicePrefix.length).split("/")[0];
    let buffer = this.buffers.get(area);
    if (buffer === undefined) {
      buffer = [];
      this.buffers.set(area, buffer);
    }
    buffer.push(decoded.record);
    if (buffer.length >= this.maxBatchRecords) this.sendBuffer(area);
    else
      this.flushTimer ??= this.options.clock.schedule(this.flushIntervalUs, () =>
        this.onFlushTimer(),
      );
  }

  private onFlushTimer(): void {
    this.flushTimer = null;
    for (const area of [...this.buffers.keys()]) this.sendBuffer(area);
  }

  private sendBuffer(area: string): void {
    const records = this.buffers.get(area);
    if (records === undefined || records.length === 0) return;
    this.buffers.delete(area);
    this.stats.batches++;
    this.stats.forwarded += records.length;
    const batch = { area, forwardTimeUs: this.options.clock.nowUs(), records };
    this.track(
      this.options.forwarder.forward(batch).catch((error: Error) => {
        this.stats.forwardFailures++;
        this.options.log("error", "edge forward failed, batch lost", {
          area,
          records: records.length,
          error: error.message,
        });
      }),
    );
  }

  private sendDeadLetter(letter: DeadLetter): void {
    this.stats.deadLettered++;
    this.options.log("debug", "payload rejected to the dead-letter topic", {
      id: letter.id,
      reason: letter.reason,
    });
    this.track(
      this.options.forwarder.deadLetter(letter).catch((error: Error) => {
        this.stats.forwardFailures++;
        this.options.log("error", "dead letter could not be sent", {
          id: letter.id,
          error: error.message,
        });
      }),
    );
  }

  private track(promise: Promise<void>): void {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }
}
