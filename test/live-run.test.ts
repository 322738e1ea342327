import { describe, expect, it } from "vitest";
import { encodeRecord, recordTopic, runTopicRoot } from "../framework/ingestion/live-record.js";
import { runLive } from "../framework/ingestion/live-pipeline.js";
import { MemoryLogger } from "../framework/ingestion/live-log.js";
import { openMqttClient, publishAsync } from "../framework/ingestion/mqtt-connection.js";
import { startEmbeddedBroker } from "../framework/runtime/embedded-broker.js";
import { syntheticRecords, testRunOptions } from "./live-fixtures.js";

describe("live run through the embedded broker", () => {
  it("accounts for every record sent", async () => {
    const logger = new MemoryLogger();
    const records = syntheticRecords(20, 300, 5); // 1,200 records over 3 s of wall-clock time
    const result = await runLive(testRunOptions(records, logger.log, { corruptEvery: 40 }));

    const { stats } = result.processor;
    expect(result.emitter.sent).toBe(records.length);
    expect(result.emitter.corrupted).toBe(30);
    expect(stats.deadLettered).toBe(30);
    expect(stats.processed).toBe(records.length - 30);
    expect(stats.processed + stats.deadLettered).toBe(result.emitter.sent);
    expect(result.lost).toBe(0);
    expect(stats.duplicates).toBe(0);
  });

  it("runs micro-batches and measures latency", async () => {
    const logger = new MemoryLogger();
    const records = syntheticRecords(10, 200, 2);
    const result = await runLive(testRunOptions(records, logger.log));

    const processor = result.processor;
    // 2 s of replay at 200 ms triggers: about 10 batches; at least a few must have run.
    expect(processor.stats.batches).toBeGreaterThanOrEqual(5);
    expect(processor.ingestionLatency.count).toBe(records.length);
    expect(processor.endToEndLatency.count).toBe(records.length);
    // End to end includes waiting for the next trigger, so it exceeds ingestion.
    expect(processor.endToEndLatency.quantileUs(0.5)!).toBeGreaterThan(
      processor.ingestionLatency.quantileUs(0.5)!,
    );
    expect(processor.pipelineStats().recordsIn).toBe(records.length);
    expect(processor.pipelineStats().deviceWindowResults).toBeGreaterThan(0);
    expect(processor.intervals.length).toBeGreaterThanOrEqual(3);
  });

  it("counts redelivered ids once", async () => {
    const logger = new MemoryLogger();
    const records = syntheticRecords(5, 100, 1);
    const result = await runLive(
      testRunOptions(records, logger.log, {
        // Publish copies of the first three records before the emitters start: the emitters'
        // own publishes of those ids then arrive as duplicates.
        onStart: async (run) => {
          const { client } = await openMqttClient({
            url: run.mqttUrl,
            clientId: "duplicate-sender",
            isPersistentSession: false,
            log: logger.log,
          });
          for (let i = 0; i < 3; i++) {
            const record = records[i];
            const copy = {
              ...record,
              id: `${record.deviceId}:0`,
              publishTimeUs: Date.now() * 1000,
            };
            await publishAsync(
              client,
              recordTopic("edge-0", record.deviceId, "speed", run.topicRoot),
              encodeRecord(copy),
              1,
            );
          }
          await client.endAsync();
        },
      }),
    );

    const { stats } = result.processor;
    expect(stats.duplicates).toBe(3);
    expect(stats.processed).toBe(records.length);
    expect(result.processor.pipelineStats().recordsIn).toBe(records.length);
    expect(result.lost).toBe(0);
  });

  it("keeps two runs on one broker apart", async () => {
    const broker = await startEmbeddedBroker();
    try {
      const logger = new MemoryLogger();
      const records = syntheticRecords(10, 200, 2); // the same device ids and sequence numbers
      const run = (tag: string) =>
        runLive(testRunOptions(records, logger.log, { mqttUrl: broker.url, runTag: tag }));
      const [first, second] = await Promise.all([run("apart-a"), run("apart-b")]);
      for (const result of [first, second]) {
        expect(result.processor.stats.received).toBe(records.length);
        expect(result.processor.stats.duplicates).toBe(0);
        expect(result.lost).toBe(0);
      }
    } finally {
      await broker.close();
    }
  });

  it("leaves no subscriptions behind", async () => {
    const broker = await startEmbeddedBroker();
    try {
      const logger = new MemoryLogger();
      const records = syntheticRecords(5, 100, 2);
      const runTag = "unsubscribed";
      const result = await runLive(
        testRunOptions(records, logger.log, { mqttUrl: broker.url, runTag }),
      );
      expect(result.lost).toBe(0);

      // A message for the ended run's edge session: a broker that still had the subscription
      // would queue it and deliver it when the session comes back.
      const sender = await openMqttClient({
        url: broker.url,
        clientId: "late-sender",
        isPersistentSession: false,
        log: logger.log,
      });
      const topic = recordTopic("edge-0", "late", "speed", runTopicRoot(runTag));
      await publishAsync(
        sender.client,
        topic,
        encodeRecord({ ...records[0], id: "late:0", publishTimeUs: 0 }),
        1,
      );
      await sender.client.endAsync();

      const edge = await openMqttClient({
        url: broker.url,
        clientId: `${runTag}-edge-in`,
        isPersistentSession: true,
        log: logger.log,
      });
      const delivered: string[] = [];
      edge.client.on("message", (received) => delivered.push(received));
      await new Promise((resolve) => setTimeout(resolve, 500));
      await edge.client.endAsync();
      expect(delivered).toEqual([]);
    } finally {
      await broker.close();
    }
  });
});
