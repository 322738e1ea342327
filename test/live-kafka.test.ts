import { Kafka, logLevel, type KafkaMessage } from "kafkajs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runRecordConsumer } from "../framework/ingestion/kafka-link.js";
import { MemoryLogger } from "../framework/ingestion/live-log.js";
import { runLive } from "../framework/ingestion/live-pipeline.js";
import {
  expectBoundedOverload,
  reportOverload,
  runOverload,
  syntheticRecords,
  testRunOptions,
} from "./live-fixtures.js";
import {
  describeWithService,
  kafkaBroker,
  kafkaMissing,
  type ScriptBroker,
} from "./live-services.js";

describeWithService("live run through Kafka", kafkaMissing, () => {
  let broker: ScriptBroker;
  let bootstrap: string;

  beforeAll(async () => {
    broker = await kafkaBroker();
    await broker.start(false);
    bootstrap = `127.0.0.1:${broker.port}`;
  }, 600_000);

  afterAll(async () => {
    await broker?.stop();
    broker?.remove();
  }, 60_000);

  it("accounts for every record", async () => {
    const logger = new MemoryLogger();
    const records = syntheticRecords(20, 200, 2);
    const result = await runLive(
      testRunOptions(records, logger.log, { kafka: { brokers: [bootstrap] }, corruptEvery: 25 }),
    );
    const { stats } = result.processor;
    expect(stats.deadLettered).toBe(80);
    expect(stats.processed + stats.deadLettered).toBe(records.length);
    expect(result.lost).toBe(0);
    expect(result.kafkaGroupJoins).toBe(1);
  });

  it("loses nothing across a broker restart", async () => {
    const logger = new MemoryLogger();
    const records = syntheticRecords(40, 600, 2);
    let cloudAfterRestart = -1;
    let restart: Promise<void> = Promise.resolve();
    const result = await runLive(
      testRunOptions(records, logger.log, {
        kafka: { brokers: [bootstrap], sessionTimeoutMs: 10_000 },
        drainTimeoutUs: 60_000_000,
        onStart: (run) => {
          restart = (async () => {
            await new Promise((resolve) => setTimeout(resolve, 2_000));
            await broker.stop();
            await broker.start(true);
            cloudAfterRestart = run.processor.stats.received;
          })();
        },
      }),
    );
    await restart;

    const { stats } = result.processor;
    // On a failure, the run's warnings and errors show where the records stopped.
    const problems = logger.lines
      .filter((line) => line.level === "warn" || line.level === "error")
      .map((line) => `${line.message} ${JSON.stringify(line.fields ?? {})}`)
      .slice(-20)
      .join("\n");
    expect(stats.processed + stats.deadLettered, problems).toBe(records.length);
    expect(result.lost).toBe(0);
    // The consumer must receive again after the restart; a silent one fails here.
    expect(stats.received).toBeGreaterThan(cloudAfterRestart);
    expect(logger.lines.some((line) => line.message.startsWith("kafka "))).toBe(true);
  }, 180_000);

  it("bounds process memory under 10x overload", async () => {
    const outcome = await runOverload(new MemoryLogger().log, 60, {
      kafka: { brokers: [bootstrap] },
    });
    reportOverload("Kafka", outcome);
    expectBoundedOverload(outcome);
    // Lag counts Kafka messages, each a forward batch of up to 500 records.
    expect(outcome.maxLag).toBeGreaterThanOrEqual(10);
  }, 300_000);

  it("keeps a slow record from causing a rebalance loop", async () => {
    const logger = new MemoryLogger();
    const topic = `slow-${process.pid}-${Date.now()}`;
    const kafka = new Kafka({ clientId: topic, brokers: [bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: Array.from({ length: 5 }, (_, i) => ({ value: `message-${i}` })),
    });

    // Session timeout 3 s; message-1 takes 4.5 s, longer than a whole session.
    const sessionTimeoutMs = 3_000;
    // An idle fetch waits at most 500 ms, so heartbeats between batches also stay in time.
    const consumer = kafka.consumer({
      groupId: topic,
      sessionTimeout: sessionTimeoutMs,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 500,
    });
    let joins = 0;
    consumer.on(consumer.events.GROUP_JOIN, () => joins++);
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const handled: string[] = [];
    const done = new Promise<void>((resolve) => {
      void runRecordConsumer(consumer, {
        log: logger.log,
        heartbeatIntervalMs: 500,
        handle: async (_topic, _partition, message: KafkaMessage) => {
          const value = message.value!.toString();
          if (value === "message-1")
            await new Promise((r) => setTimeout(r, sessionTimeoutMs * 1.5));
          handled.push(value);
          if (handled.length === 5) resolve();
        },
      });
    });
    await done;
    // Wait two session timeouts for a rebalance that would redeliver message-1.
    await new Promise((resolve) => setTimeout(resolve, 2 * sessionTimeoutMs));

    await consumer.disconnect();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
    expect(handled).toEqual(["message-0", "message-1", "message-2", "message-3", "message-4"]);
    expect(joins).toBe(1);
  }, 60_000);

  it("gives up a record that keeps failing after bounded attempts", async () => {
    const logger = new MemoryLogger();
    const topic = `poison-${process.pid}-${Date.now()}`;
    const kafka = new Kafka({ clientId: topic, brokers: [bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: "poison" }, { value: "after" }] });

    const consumer = kafka.consumer({
      groupId: topic,
      sessionTimeout: 3_000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 500,
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let poisonAttempts = 0;
    const givenUp: string[] = [];
    const done = new Promise<void>((resolve) => {
      void runRecordConsumer(consumer, {
        log: logger.log,
        attemptTimeoutMs: 300,
        maxAttempts: 3,
        onGiveUp: (_topic, _partition, message, reason) =>
          givenUp.push(`${message.value}: ${reason}`),
        handle: async (_topic, _partition, message) => {
          if (message.value!.toString() === "poison") {
            poisonAttempts++;
            await new Promise((r) => setTimeout(r, 1_000)); // longer than the attempt timeout
            return;
          }
          resolve();
        },
      });
    });
    await done;
    await consumer.disconnect();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
    expect(poisonAttempts).toBe(3);
    expect(givenUp).toEqual(["poison: handling timed out after 300 ms"]);
  }, 60_000);
});
