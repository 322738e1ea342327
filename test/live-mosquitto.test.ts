import { afterAll, beforeAll, expect, it } from "vitest";
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
  mosquittoBroker,
  mosquittoMissing,
  type ScriptBroker,
} from "./live-services.js";

describeWithService("live run through Mosquitto", mosquittoMissing, () => {
  let broker: ScriptBroker;

  beforeAll(async () => {
    broker = await mosquittoBroker();
    await broker.start(false);
  });

  afterAll(async () => {
    await broker?.stop();
    broker?.remove();
  });

  it("accounts for every record with QoS 1", async () => {
    const logger = new MemoryLogger();
    const records = syntheticRecords(20, 200, 2);
    const result = await runLive(
      testRunOptions(records, logger.log, {
        mqttUrl: `mqtt://127.0.0.1:${broker.port}`,
        corruptEvery: 25,
      }),
    );
    const { stats } = result.processor;
    expect(result.isEmbeddedBroker).toBe(false);
    expect(stats.deadLettered).toBe(80);
    expect(stats.processed + stats.deadLettered).toBe(records.length);
    expect(result.lost).toBe(0);
  });

  it("loses nothing across a broker restart", async () => {
    const logger = new MemoryLogger();
    // 40 devices every 2 trace seconds over 600 s at speed 100: 12,000 records in 6 s.
    const records = syntheticRecords(40, 600, 2);
    let edgeAfterRestart = -1;
    let cloudAfterRestart = -1;
    let restart: Promise<void> = Promise.resolve();

    const result = await runLive(
      testRunOptions(records, logger.log, {
        mqttUrl: `mqtt://127.0.0.1:${broker.port}`,
        onStart: (run) => {
          restart = (async () => {
            await new Promise((resolve) => setTimeout(resolve, 2_000));
            await broker.stop();
            await new Promise((resolve) => setTimeout(resolve, 1_000));
            await broker.start(true);
            edgeAfterRestart = run.edge.stats.received;
            cloudAfterRestart = run.processor.stats.received;
          })();
        },
      }),
    );
    await restart;

    const { stats } = result.processor;
    expect(stats.processed + stats.deadLettered).toBe(records.length);
    expect(result.lost).toBe(0);
    // Each subscriber must receive again after the restart; a silent one fails here.
    expect(result.edge.received).toBeGreaterThan(edgeAfterRestart);
    expect(stats.received).toBeGreaterThan(cloudAfterRestart);
    for (const [clientId, connection] of Object.entries(result.connections)) {
      expect(connection.disconnects, clientId).toBeGreaterThanOrEqual(1);
      expect(connection.reconnects, clientId).toBeGreaterThanOrEqual(1);
    }
    expect(logger.matching("mqtt reconnected").length).toBeGreaterThanOrEqual(
      Object.keys(result.connections).length,
    );
  });

  it("bounds process memory under 10x overload", async () => {
    const outcome = await runOverload(new MemoryLogger().log, 60, {
      mqttUrl: `mqtt://127.0.0.1:${broker.port}`,
    });
    reportOverload("Mosquitto", outcome);
    expectBoundedOverload(outcome);
  }, 300_000);
});
