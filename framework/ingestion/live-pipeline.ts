/**
 * One live run from device to cloud. Device emitters, on their own thread, publish a record
 * stream to an MQTT broker, which is the embedded aedes broker unless a URL is given. The edge
 * bridge validates the records and forwards them over MQTT, or to Kafka when brokers are given. The cloud processor
 * runs the processing pipeline on micro-batch triggers. The run ends when every record sent
 * has been processed or dead-lettered, or when the drain timeout passes, and any record still
 * missing then is reported as lost.
 */
import type { MqttClient } from "mqtt";
import { createPipeline } from "../processing/pipeline.js";
import type { PipelineSpec } from "../processing/pipeline-spec.js";
import { startEmbeddedBroker, type EmbeddedBroker } from "../runtime/embedded-broker.js";
import { WallClock } from "../runtime/wall-clock.js";
import { CloudProcessor } from "./cloud-processor.js";
import type { EmitterStats, ReplayTimeline } from "./device-emitter.js";
import { startEmitterThread } from "./emitter-thread.js";
import { EdgeBridge, type EdgeStats } from "./edge-bridge.js";
import type { CloudSource, EdgeForwarder } from "./forward-batch.js";
import { openKafkaLink, type KafkaLinkOptions } from "./kafka-link.js";
import type { LiveLogger } from "./live-log.js";
import { openMqttClient, type ConnectionStats } from "./mqtt-connection.js";
import { MqttCloudSource, MqttForwarder } from "./mqtt-cloud-link.js";
import { runTopicRoot } from "./live-record.js";
import type { SensorRecord } from "./record.js";

/** Settings of a live run. */
export interface LiveRunOptions {
  /** Records in event-time order. */
  records: readonly SensorRecord[];
  pipeline: PipelineSpec;
  /** Area (edge node) of a device. */
  areaOf: (deviceId: string) => string;
  /** External MQTT broker URL; null starts the embedded aedes broker on a free loopback port. */
  mqttUrl: string | null;
  /** Kafka between edge and cloud; null forwards over MQTT. */
  kafka: Omit<KafkaLinkOptions, "log" | "runTag"> | null;
  /** QoS of device publishes and of the edge subscription. */
  qos: 0 | 1;
  /** Trace seconds per wall-clock second. */
  speed: number;
  /** Processing-time trigger interval, in µs. */
  triggerIntervalUs: number;
  /** Records per micro-batch at most. */
  maxBatchRecords: number;
  /** Queue length at which the cloud source is paused. */
  maxQueuedRecords: number;
  /** Width of one report interval, in µs. */
  reportIntervalUs: number;
  /** Corrupt every Nth record on purpose (0 for none), to exercise the dead-letter path. */
  corruptEvery: number;
  /** MQTT connections the device emitters share. */
  emitterClients: number;
  /** How long to wait, after the last publish, for records still in flight, in µs. */
  drainTimeoutUs: number;
  /** Wall-clock delay before the first record is due, in µs; lets subscribers settle. */
  startDelayUs: number;
  /** Span at the start left out of the latency histograms, in µs (see `CloudProcessorOptions`). */
  warmupUs?: number;
  /** Extra per-record batch time, in µs (see `CloudProcessorOptions`). Default 0. */
  extraBatchUsPerRecord?: number;
  log: LiveLogger;
  /** Called once the cloud processor exists, before the first record is sent. */
  onStart?: (run: LiveRunHandle) => void | Promise<void>;
  /** Called once the emitters have published every record, before the drain. */
  onPublished?: (run: LiveRunHandle) => void;
  /** Tag that makes client ids and Kafka topics unique per run. */
  runTag: string;
}

/** Handle to a running live run, for watching its components or stopping it early. */
export interface LiveRunHandle {
  processor: CloudProcessor;
  edge: EdgeBridge;
  /** URL of the MQTT broker in use. */
  mqttUrl: string;
  /** Prefix of the run's MQTT topics (see `recordTopic`). */
  topicRoot: string;
  /** Asks the emitters to stop early; the run then drains and ends. */
  stop(): void;
}

/** Everything a live run measured. */
export interface LiveRunResult {
  mqttUrl: string;
  isEmbeddedBroker: boolean;
  kafkaBrokers: string[] | null;
  timeline: ReplayTimeline;
  emitter: EmitterStats;
  edge: EdgeStats;
  processor: CloudProcessor;
  /** Records sent but neither processed nor dead-lettered when the run ended. */
  lost: number;
  /** Wall-clock span from the first due record to the end of the drain, in µs. */
  wallDurationUs: number;
  /** Reconnects and disconnects per MQTT client id. */
  connections: Record<string, ConnectionStats>;
  /** Kafka consumer group joins (the first one included) and rebalances; null without Kafka. */
  kafkaGroupJoins: number | null;
  /** Peak resident set size of the process during the run, in bytes. */
  peakRssBytes: number;
}

/** Runs the records through brokers and processing; resolves when the run has drained. */
export async function runLive(options: LiveRunOptions): Promise<LiveRunResult> {
  const clock = new WallClock();
  const { log, runTag } = options;
  let broker: EmbeddedBroker | null = null;
  let mqttUrl = options.mqttUrl;
  if (mqttUrl === null) {
    broker = await startEmbeddedBroker();
    mqttUrl = broker.url;
    log("info", "embedded MQTT broker started", { url: mqttUrl });
  }

  const clients: { id: string; client: MqttClient; stats: ConnectionStats }[] = [];
  const open = async (id: string, isPersistentSession: boolean) => {
    const opened = await openMqttClient({ url: mqttUrl!, clientId: id, isPersistentSession, log });
    clients.push({ id, ...opened });
    return opened.client;
  };

  // Device and cloud topics live under a per-run root, so runs sharing a broker stay apart.
  const topicRoot = runTopicRoot(runTag);
  // Unsubscribes of the persistent sessions: without them, the broker would keep queueing
  // every later run's messages for this run's sessions until they expire.
  const unsubscribes: (() => Promise<void>)[] = [];
  let rssTimer: NodeJS.Timeout | null = null;
  let stopEmitters: (() => Promise<void>) | null = null;
  // The Kafka link, once open; a failed run must close it too, or its client keeps retrying.
  let closeKafka: (() => Promise<void>) | null = null;
  // Closing deletes the run's topics, which kafkajs retries while the broker is away, so the
  // wait is bounded.
  const closeLink = async () => {
    const close = closeKafka;
    closeKafka = null;
    if (close === null) return;
    await settleWithin(close, 15_000, (error) =>
      log("warn", "kafka link did not close cleanly", { error }),
    );
  };
  let peakRssBytes = process.memoryUsage.rss();
  try {
    // Cloud side first, then the edge, then the devices, so no message finds no subscriber.
    let forwarder: EdgeForwarder;
    let source: CloudSource;
    let groupJoins: () => number | null = () => null;
    if (options.kafka === null) {
      const cloud = new MqttCloudSource(await open(`${runTag}-cloud`, true), clock, log, topicRoot);
      unsubscribes.push(() => cloud.close());
      source = cloud;
      forwarder = new MqttForwarder(await open(`${runTag}-edge-out`, false), topicRoot);
    } else {
      const link = await openKafkaLink({ ...options.kafka, log, runTag });
      source = link.source;
      forwarder = link.forwarder;
      closeKafka = () => link.close();
      groupJoins = () => link.groupJoins();
    }

    const firstUs = options.records[0]?.eventTimeUs ?? 0;
    const timeline: ReplayTimeline = {
      traceStartUs: firstUs,
      wallStartUs: clock.nowUs() + options.startDelayUs,
      speed: options.speed,
    };
    const processor = new CloudProcessor({
      clock,
      pipeline: createPipeline(options.pipeline, { areaOf: options.areaOf }),
      source,
      timeline,
      triggerIntervalUs: options.triggerIntervalUs,
      maxBatchRecords: options.maxBatchRecords,
      maxQueuedRecords: options.maxQueuedRecords,
      reportIntervalUs: options.reportIntervalUs,
      extraBatchUsPerRecord: options.extraBatchUsPerRecord,
      warmupUs: options.warmupUs,
    });
    await processor.start();

    const edge = new EdgeBridge({
      clock,
      client: await open(`${runTag}-edge-in`, true),
      qos: options.qos,
      forwarder,
      log,
      topicRoot,
    });
    unsubscribes.push(() => edge.stop());
    await edge.start();

    const emitters = await startEmitterThread(
      {
        url: mqttUrl,
        clientIds: Array.from(
          { length: options.emitterClients },
          (_, i) => `${runTag}-devices-${i}`,
        ),
        qos: options.qos,
        timeline,
        corruptEvery: options.corruptEvery,
        records: options.records,
        topicRoot,
      },
      options.areaOf,
      log,
    );
    stopEmitters = () => emitters.terminate();
    rssTimer = setInterval(() => {
      peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
    }, 100);

    const handle: LiveRunHandle = {
      processor,
      edge,
      mqttUrl,
      topicRoot,
      stop: () => emitters.stop(),
    };
    await options.onStart?.(handle);
    // The emitter thread takes a moment to start, so the replay clock starts once it is ready.
    timeline.wallStartUs = clock.nowUs() + options.startDelayUs;
    log("info", "replay started", { records: options.records.length, topicRoot });
    const { stats: emitter, connections: emitterConnections } = await emitters.run(
      timeline.wallStartUs,
    );
    log("info", "all records published", { sent: emitter.sent, corrupted: emitter.corrupted });
    options.onPublished?.(handle);

    await drain(clock, edge, processor, emitter.sent, options.drainTimeoutUs);
    await processor.stop();
    const wallDurationUs = clock.nowUs() - timeline.wallStartUs;
    const kafkaGroupJoins = groupJoins();

    await unsubscribeAll(unsubscribes, log);
    for (const { client } of clients) await client.endAsync();
    await closeLink();
    const lost = Math.max(0, emitter.sent - processor.accounted);
    if (lost > 0) log("error", "records lost", { lost, sent: emitter.sent });
    peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
    return {
      mqttUrl,
      isEmbeddedBroker: broker !== null,
      kafkaBrokers: options.kafka?.brokers ?? null,
      timeline,
      emitter,
      edge: edge.stats,
      processor,
      lost,
      wallDurationUs,
      connections: {
        ...Object.fromEntries(clients.map(({ id, stats }) => [id, stats])),
        ...emitterConnections,
      },
      kafkaGroupJoins,
      peakRssBytes,
    };
  } finally {
    if (rssTimer !== null) clearInterval(rssTimer);
    clock.cancelAll();
    await stopEmitters?.();
    await unsubscribeAll(unsubscribes, log);
    for (const { client } of clients) client.end(true);
    await closeLink();
    await broker?.close();
  }
}

/**
 * Runs and empties the pending unsubscribes. Each may take 2 s at most: on a run that failed,
 * the connection may be gone, and an unsubscribe would wait for it.
 */
async function unsubscribeAll(
  unsubscribes: (() => Promise<void>)[],
  log: LiveLogger,
): Promise<void> {
  for (const unsubscribe of unsubscribes.splice(0)) {
    await settleWithin(unsubscribe, 2_000, (error) =>
      log("warn", "mqtt unsubscribe failed: the broker keeps the session until it expires", {
        error,
      }),
    );
  }
}

/**
 * Runs `task` and waits for it at most `timeoutMs`. A failure or a timeout goes to `onFailure`
 * with its message, because teardown must go on either way.
 */
async function settleWithin(
  task: () => Promise<void>,
  timeoutMs: number,
  onFailure: (error: string) => void,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([task(), timeout]);
  } catch (error) {
    onFailure((error as Error).message);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits until every sent record is processed or dead-lettered, polling every 20 ms, or until
 * `timeoutUs` passes in which no record was received or processed.
 */
async function drain(
  clock: WallClock,
  edge: EdgeBridge,
  processor: CloudProcessor,
  sent: number,
  timeoutUs: number,
): Promise<void> {
  let lastProgress = "";
  let lastProgressUs = clock.nowUs();
  while (processor.accounted < sent) {
    await edge.flush();
    const progress = `${processor.accounted}/${processor.stats.received}`;
    if (progress !== lastProgress) {
      lastProgress = progress;
      lastProgressUs = clock.nowUs();
    } else if (clock.nowUs() - lastProgressUs > timeoutUs) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
