/**
 * Ingestion benchmark: sustained records per second and ingestion latency percentiles from
 * device publish into the processing pipeline, through the embedded aedes broker, Mosquitto
 * and Kafka on loopback. Each MQTT row offers a fixed load for 10 s from the emitter thread.
 * The sustained rate is the processing rate between the report intervals in which 10% and 90%
 * of the records had been processed, so connection set-up and the final drain do not count.
 *
 * Mosquitto is used at MOSQUITTO_URL, or started on a free port with scripts/mosquitto.sh when
 * the binary is installed; Kafka is used at KAFKA_BROKERS only. Rows whose broker is missing
 * are printed as skipped. Targets (not enforced): 50,000 records/s through MQTT QoS 0, and
 * 100,000 records/s through Kafka with batching.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudProcessor, type LiveInterval } from "../framework/ingestion/cloud-processor.js";
import { loadRecords } from "../framework/ingestion/network-calibration.js";
import { openKafkaLink } from "../framework/ingestion/kafka-link.js";
import { stderrLogger } from "../framework/ingestion/live-log.js";
import type { LiveRecord } from "../framework/ingestion/live-record.js";
import { runLive, type LiveRunResult } from "../framework/ingestion/live-pipeline.js";
import { createPipeline } from "../framework/processing/pipeline.js";
import { WallClock } from "../framework/runtime/wall-clock.js";
import { smartcity } from "../scenarios/smartcity.js";
import { repoRoot } from "../scenarios/trace-paths.js";

/** Offered load of each MQTT row, in records per second, and its length in seconds. */
const OFFERED_PER_SEC = 60_000;
const SECONDS = 10;
/** Report interval and micro-batch trigger of the MQTT rows, in µs. */
const INTERVAL_US = 250_000;
/** Records produced to Kafka in the Kafka-only row, in forward batches of 500. */
const KAFKA_RECORDS = 1_000_000;
const log = stderrLogger("error");

interface Row {
  path: string;
  recordsPerSec: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  note: string;
}

/** Prints one row per ingestion path. */
export async function runBenchmark(): Promise<void> {
  const rows: Row[] = [];
  rows.push(await mqttRow("aedes (embedded), MQTT QoS 0", null, 0));
  rows.push(await mqttRow("aedes (embedded), MQTT QoS 1", null, 1));

  const mosquitto = await mosquittoUrl();
  if (mosquitto.url === null) rows.push(skipped("Mosquitto, MQTT QoS 0", mosquitto.reason));
  else {
    rows.push(await mqttRow("Mosquitto, MQTT QoS 0", mosquitto.url, 0));
    rows.push(await mqttRow("Mosquitto, MQTT QoS 1", mosquitto.url, 1));
  }
  mosquitto.stop();

  const kafka = process.env.KAFKA_BROKERS?.split(",").map((broker) => broker.trim()) ?? null;
  if (kafka === null) {
    rows.push(skipped("Kafka only (batches of 500)", "KAFKA_BROKERS not set"));
    rows.push(skipped("aedes QoS 0 -> edge -> Kafka", "KAFKA_BROKERS not set"));
  } else {
    rows.push(await kafkaOnlyRow(kafka));
    rows.push(await mqttRow("aedes QoS 0 -> edge -> Kafka", null, 0, kafka));
  }
  printRows(rows);
}

async function mqttRow(
  path: string,
  mqttUrl: string | null,
  qos: 0 | 1,
  kafka: string[] | null = null,
): Promise<Row> {
  const records = loadRecords(OFFERED_PER_SEC, SECONDS);
  const result = await runLive({
    records,
    pipeline: smartcity.pipeline,
    areaOf: (id) => `edge-${Number(id.slice(5)) % 16}`,
    mqttUrl,
    kafka: kafka === null ? null : { brokers: kafka },
    qos,
    speed: 1,
    triggerIntervalUs: INTERVAL_US,
    maxBatchRecords: 1_000_000,
    maxQueuedRecords: 10_000_000,
    reportIntervalUs: INTERVAL_US,
    corruptEvery: 0,
    emitterClients: 4,
    drainTimeoutUs: 20_000_000,
    startDelayUs: 500_000,
    log,
    runTag: `bench-${process.pid}-${Date.now()}`,
  });
  return resultRow(path, result);
}

function resultRow(path: string, result: LiveRunResult): Row {
  const { processor } = result;
  const latency = processor.ingestionLatency;
  const ms = (q: number) => (latency.quantileUs(q) ?? 0) / 1_000;
  const lostNote = result.lost > 0 ? `, ${result.lost} lost (QoS 0 drops)` : "";
  // The emitter thread publishes on schedule until it falls behind, then as fast as it can.
  const publishSeconds = SECONDS + Math.max(0, result.emitter.lagUs) / 1e6;
  const published = `published at ${(result.emitter.sent / publishSeconds).toFixed(0)}/s`;
  return {
    path,
    recordsPerSec: sustainedRate(processor.intervals),
    p50Ms: ms(0.5),
    p95Ms: ms(0.95),
    p99Ms: ms(0.99),
    note: `${published}, ${processor.stats.processed} processed, peak RSS ${(result.peakRssBytes / 2 ** 20).toFixed(0)} MB${lostNote}`,
  };
}

/**
 * Returns the processing rate, in records/s, from the end of the interval in which 10% of all
 * processed records were done to the end of the one in which 90% were.
 */
export function sustainedRate(intervals: readonly LiveInterval[]): number | null {
  const total = intervals.reduce((sum, interval) => sum + interval.processed, 0);
  let done = 0;
  let from: { s: number; done: number } | null = null;
  for (const interval of intervals) {
    done += interval.processed;
    const endS = interval.startS + interval.widthS;
    if (from === null && done >= 0.1 * total) from = { s: endS, done };
    else if (from !== null && done >= 0.9 * total) {
      return endS > from.s ? (done - from.done) / (endS - from.s) : null;
    }
  }
  return null;
}

/** Produces forward batches straight to Kafka and consumes them into the pipeline. */
async function kafkaOnlyRow(brokers: string[]): Promise<Row> {
  const clock = new WallClock();
  const link = await openKafkaLink({
    brokers,
    log,
    runTag: `bench-kafka-${process.pid}-${Date.now()}`,
  });
  const records = loadRecords(KAFKA_RECORDS / 10, 10);
  const startUs = clock.nowUs();
  const timeline = { traceStartUs: records[0].eventTimeUs, wallStartUs: startUs, speed: 1e6 };
  const processor = new CloudProcessor({
    clock,
    pipeline: createPipeline(smartcity.pipeline, { areaOf: (id) => `edge-${id.length % 16}` }),
    source: link.source,
    timeline,
    triggerIntervalUs: INTERVAL_US,
    maxBatchRecords: 1_000_000,
    maxQueuedRecords: 10_000_000,
    reportIntervalUs: INTERVAL_US,
  });
  await processor.start();

  const sends: Promise<void>[] = [];
  for (let i = 0; i < records.length; i += 500) {
    const publishTimeUs = clock.nowUs();
    const batch: LiveRecord[] = records
      .slice(i, i + 500)
      .map((record, j) => ({ ...record, id: `bench:${i + j}`, publishTimeUs }));
    sends.push(
      link.forwarder.forward({
        area: `edge-${(i / 500) % 16}`,
        forwardTimeUs: publishTimeUs,
        records: batch,
      }),
    );
    if (sends.length >= 64) await Promise.all(sends.splice(0));
  }
  await Promise.all(sends);
  const deadlineUs = clock.nowUs() + 60_000_000;
  while (processor.stats.received < records.length && clock.nowUs() < deadlineUs) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await processor.stop();
  const seconds = (clock.nowUs() - startUs) / 1e6;
  await link.close();
  const latency = processor.ingestionLatency;
  const ms = (q: number) => (latency.quantileUs(q) ?? 0) / 1_000;
  return {
    path: "Kafka only (batches of 500)",
    recordsPerSec: sustainedRate(processor.intervals),
    p50Ms: ms(0.5),
    p95Ms: ms(0.95),
    p99Ms: ms(0.99),
    note:
      `${processor.stats.processed} of ${records.length} processed in ${seconds.toFixed(1)} s ` +
      `(${(processor.stats.processed / seconds).toFixed(0)}/s with the producer on the same thread)`,
  };
}

async function mosquittoUrl(): Promise<{ url: string | null; reason: string; stop: () => void }> {
  if (process.env.MOSQUITTO_URL !== undefined) {
    return { url: process.env.MOSQUITTO_URL, reason: "", stop: () => {} };
  }
  const script = join(repoRoot, "scripts/mosquitto.sh");
  const port = await freePort();
  const env = {
    ...process.env,
    MOSQUITTO_PORT: String(port),
    MOSQUITTO_HOME: mkdtempSync(join(tmpdir(), "mosquitto-bench-")),
  };
  try {
    execFileSync(script, ["start"], { env, stdio: "ignore" });
  } catch {
    return {
      url: null,
      reason: "MOSQUITTO_URL not set and mosquitto not installed",
      stop: () => {},
    };
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    reason: "",
    stop: () => execFileSync(script, ["stop"], { env, stdio: "ignore" }),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function skipped(path: string, reason: string): Row {
  return {
    path,
    recordsPerSec: null,
    p50Ms: null,
    p95Ms: null,
    p99Ms: null,
    note: `skipped: ${reason}`,
  };
}

function printRows(rows: Row[]): void {
  const cell = (value: number | null, digits: number) =>
    value === null ? "n/a" : value.toFixed(digits);
  process.stdout.write(
    `ingest: ${OFFERED_PER_SEC} records/s offered for ${SECONDS} s per MQTT row; sustained rate between 10% and 90% processed; ingestion latency is publish to cloud receive\n`,
  );
  process.stdout.write(
    `${"path".padEnd(32)} ${"records/s".padStart(10)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"p99 ms".padStart(8)}  note\n`,
  );
  for (const row of rows) {
    process.stdout.write(
      `${row.path.padEnd(32)} ${cell(row.recordsPerSec, 0).padStart(10)} ${cell(row.p50Ms, 1).padStart(8)} ` +
        `${cell(row.p95Ms, 1).padStart(8)} ${cell(row.p99Ms, 1).padStart(8)}  ${row.note}\n`,
    );
  }
}
