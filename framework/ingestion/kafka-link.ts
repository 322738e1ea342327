/**
 * Edge to cloud through Kafka (kafkajs). The edge bridge produces forward batches, keyed by
 * area, to an ingest topic and dead letters to a dead-letter topic, with acks from all
 * in-sync replicas. The cloud side consumes both in a consumer group. While the cloud queue is
 * full the consumer pauses the ingest topic, so the backlog stays in the broker as consumer lag.
 */
import {
  Kafka,
  logLevel,
  Partitioners,
  type Consumer,
  type EachBatchPayload,
  type KafkaMessage,
  type Producer,
} from "kafkajs";
import { WallClock } from "../runtime/wall-clock.js";
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
import { LiveIngestionError } from "./live-error.js";
import type { LiveLogger } from "./live-log.js";

/** Settings of the Kafka link. */
export interface KafkaLinkOptions {
  /** Bootstrap brokers as `host:port`. */
  brokers: string[];
  /** Partitions of the ingest topic. Default 4. */
  partitions?: number;
  /** Consumer session timeout, in ms. Default 10,000 (the broker's minimum is 6,000). */
  sessionTimeoutMs?: number;
  log: LiveLogger;
  /** Makes topic and group names unique per run, so runs never read each other's records. */
  runTag: string;
}

/** An open Kafka link. */
export interface KafkaLink {
  forwarder: EdgeForwarder;
  source: CloudSource;
  /** Consumer group joins so far, the first one included. */
  groupJoins(): number;
  close(): Promise<void>;
}

/** Returns a kafkajs client whose log lines go to `log`, with retries that outlast a restart. */
export function createKafkaClient(clientId: string, brokers: string[], log: LiveLogger): Kafka {
  return new Kafka({
    clientId,
    brokers,
    connectionTimeout: 3_000,
    // About 60 s of retries with backoff, so a broker restart is waited out.
    retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: 15 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry) => {
      const level = entry.level === logLevel.ERROR ? "error" : "warn";
      const { message, timestamp: _timestamp, ...fields } = entry.log;
      log(level, `kafka ${entry.namespace}: ${message}`, fields);
    },
  });
}

/** Creates the run's topics and connects the producer and the consumer. */
export async function openKafkaLink(options: KafkaLinkOptions): Promise<KafkaLink> {
  const kafka = createKafkaClient(options.runTag, options.brokers, options.log);
  const ingestTopic = `${options.runTag}-ingest`;
  const deadLetterTopic = `${options.runTag}-dead-letter`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: ingestTopic, numPartitions: options.partitions ?? 4, replicationFactor: 1 },
      { topic: deadLetterTopic, numPartitions: 1, replicationFactor: 1 },
    ],
  });

  // Naming the default partitioner (murmur2, as the Java client) silences kafkajs's warning.
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const consumer = kafka.consumer({
    groupId: `${options.runTag}-cloud`,
    sessionTimeout: options.sessionTimeoutMs ?? 10_000,
    heartbeatInterval: 1_000,
    // Heartbeats go out between fetches, so an idle fetch must end well within the session.
    // A short wait also lets a resumed topic be fetched soon after the cloud queue drains.
    maxWaitTimeInMs: 250,
  });
  let joins = 0;
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    joins++;
    if (joins > 1) {
      options.log("warn", "kafka consumer group rejoined", {
        groupId: event.payload.groupId,
        memberId: event.payload.memberId,
        joins,
      });
    }
  });
  await consumer.connect();

  const source = new KafkaCloudSource(consumer, admin, ingestTopic, deadLetterTopic, options.log);
  return {
    forwarder: new KafkaForwarder(producer, ingestTopic, deadLetterTopic, options.brokers[0]),
    source,
    groupJoins: () => joins,
    close: async () => {
      await source.close();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [ingestTopic, deadLetterTopic] }).catch(() => {});
      await admin.disconnect();
    },
  };
}

/** Produces edge output to Kafka with acks from all in-sync replicas. */
export class KafkaForwarder implements EdgeForwarder {
  constructor(
    private readonly producer: Producer,
    private readonly ingestTopic: string,
    private readonly deadLetterTopic: string,
    private readonly broker: string,
  ) {}

  forward(batch: ForwardBatch): Promise<void> {
    return this.send(this.ingestTopic, batch.area, encodeJson(batch));
  }

  deadLetter(letter: DeadLetter): Promise<void> {
    return this.send(this.deadLetterTopic, letter.id ?? "unknown", encodeJson(letter));
  }

  private async send(topic: string, key: string, value: Uint8Array): Promise<void> {
    try {
      await this.producer.send({ topic, acks: -1, messages: [{ key, value: Buffer.from(value) }] });
    } catch (error) {
      throw new LiveIngestionError(
        "kafka produce failed after retries",
        { broker: this.broker, topic },
        true,
        { cause: error },
      );
    }
  }
}

/** Consumes forward batches and dead letters; lag is the ingest topic's unconsumed records. */
class KafkaCloudSource implements CloudSource {
  /** Next offset to consume, per ingest partition. */
  private readonly nextOffsets = new Map<number, bigint>();
  private isPaused = false;

  constructor(
    private readonly consumer: Consumer,
    private readonly admin: ReturnType<Kafka["admin"]>,
    private readonly ingestTopic: string,
    private readonly deadLetterTopic: string,
    private readonly log: LiveLogger,
  ) {}

  async start(handlers: CloudInputHandlers): Promise<void> {
    const clock = new WallClock();
    await this.consumer.subscribe({
      topics: [this.ingestTopic, this.deadLetterTopic],
      fromBeginning: true,
    });
    await runRecordConsumer(this.consumer, {
      log: this.log,
      // Paused: the rest of a fetched batch stays in the broker instead of the queue.
      isHeld: (topic) => this.isPaused && topic === this.ingestTopic,
      handle: async (topic, partition, message) => {
        if (message.value === null) return;
        if (topic === this.ingestTopic) {
          handlers.onBatch(decodeForwardBatch(message.value), clock.nowUs());
          this.nextOffsets.set(partition, BigInt(message.offset) + 1n);
        } else {
          handlers.onDeadLetter(decodeDeadLetter(message.value));
        }
      },
    });
  }

  pause(): void {
    this.isPaused = true;
    this.consumer.pause([{ topic: this.ingestTopic }]);
  }

  resume(): void {
    this.isPaused = false;
    this.consumer.resume([{ topic: this.ingestTopic }]);
  }

  /** Unconsumed messages of the ingest topic; each message is one forward batch of records. */
  async lag(): Promise<number | null> {
    try {
      const offsets = await this.admin.fetchTopicOffsets(this.ingestTopic);
      let lag = 0n;
      for (const { partition, high } of offsets) {
        const next = this.nextOffsets.get(partition) ?? 0n;
        if (BigInt(high) > next) lag += BigInt(high) - next;
      }
      return Number(lag);
    } catch (error) {
      this.log("warn", "kafka lag could not be read", { error: (error as Error).message });
      return null;
    }
  }

  async close(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/** Settings of `runRecordConsumer`. */
export interface RecordConsumerOptions {
  log: LiveLogger;
  /** Handles one message; a rejection or a timeout counts as a failed attempt. */
  handle: (topic: string, partition: number, message: KafkaMessage) => Promise<void>;
  /** Time one attempt may take before it counts as failed, in ms. Default 60,000. */
  attemptTimeoutMs?: number;
  /** Attempts per message before it is given up. Default 3. */
  maxAttempts?: number;
  /** Called with a message given up after `maxAttempts`; its offset is then committed. */
  onGiveUp?: (topic: string, partition: number, message: KafkaMessage, reason: string) => void;
  /** Interval of the heartbeats sent while one message is handled, in ms. Default 1,000. */
  heartbeatIntervalMs?: number;
  /**
   * Returns true when the rest of a fetched batch of `topic` must wait: the batch handler
   * returns, and the unhandled messages are fetched again after the topic is resumed.
   */
  isHeld?: (topic: string) => boolean;
}

/**
 * Runs `consumer` one message at a time. While a message is handled, heartbeats go out every
 * `heartbeatIntervalMs`, so a handler slower than the session timeout does not cost the
 * member its partitions (which would redeliver the message and loop). A message that fails
 * or times out `maxAttempts` times is given up, and its offset is committed past it.
 */
export async function runRecordConsumer(
  consumer: Consumer,
  options: RecordConsumerOptions,
): Promise<void> {
  const maxAttempts = options.maxAttempts ?? 3;
  await consumer.run({
    autoCommit: true,
    eachBatchAutoResolve: false,
    eachBatch: async (payload: EachBatchPayload) => {
      const { batch } = payload;
      for (const message of batch.messages) {
        if (!payload.isRunning() || payload.isStale()) return;
        if (options.isHeld?.(batch.topic) === true) return;
        for (let attempt = 1; ; attempt++) {
          const failure = await attemptMessage(payload, message, options);
          if (failure === null) break;
          options.log("warn", "kafka message handling failed", {
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            attempt,
            error: failure,
          });
          if (attempt >= maxAttempts) {
            options.onGiveUp?.(batch.topic, batch.partition, message, failure);
            break;
          }
        }
        payload.resolveOffset(message.offset);
        await payload.commitOffsetsIfNecessary();
      }
    },
  });
}

/** Runs one attempt with heartbeats and a timeout; returns null on success, else the reason. */
async function attemptMessage(
  payload: EachBatchPayload,
  message: KafkaMessage,
  options: RecordConsumerOptions,
): Promise<string | null> {
  const timeoutMs = options.attemptTimeoutMs ?? 60_000;
  const heartbeat = setInterval(() => {
    payload.heartbeat().catch((error: Error) => {
      options.log("warn", "kafka heartbeat failed", { error: error.message });
    });
  }, options.heartbeatIntervalMs ?? 1_000);
  let timeout: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      options.handle(payload.batch.topic, payload.batch.partition, message),
      new Promise((_, reject) => {
        timeout = setTimeout(
          () => reject(new Error(`handling timed out after ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    clearInterval(heartbeat);
    clearTimeout(timeout);
  }
}
