/**
 * Device emitters: replay a scenario's records in accelerated wall-clock time and publish each
 * one as its own MQTT message on `<root>iot/<area>/<device>/<metric>`. A record with event time t is
 * due at `wallStartUs + (t - traceStartUs) / speed`.
 *
 * Every record gets an id (`${deviceId}:${sequence}`) and its publish time. For tests of the
 * dead-letter path, every Nth record can be corrupted on purpose; corrupted records count as
 * sent like any other.
 */
import type { MqttClient } from "mqtt";
import type { Clock } from "../runtime/clock.js";
import { encodeRecord, recordId, recordTopic, type LiveRecord } from "./live-record.js";
import type { SensorRecord } from "./record.js";

/** Maps trace time to wall-clock time. */
export interface ReplayTimeline {
  /** Event time of the first record, in µs since the Unix epoch. */
  traceStartUs: number;
  /** Wall-clock time at which the first record is due, in µs since the Unix epoch. */
  wallStartUs: number;
  /** Trace seconds played per wall-clock second, positive. */
  speed: number;
}

/** Returns the wall-clock time at which a record with `eventTimeUs` is due, in µs. */
export function dueWallUs(timeline: ReplayTimeline, eventTimeUs: number): number {
  return timeline.wallStartUs + (eventTimeUs - timeline.traceStartUs) / timeline.speed;
}

/** Settings of `emitRecords`. */
export interface EmitterOptions {
  clock: Clock;
  /** Clients to publish through; devices are spread over them by a hash of their id. */
  clients: readonly MqttClient[];
  qos: 0 | 1;
  timeline: ReplayTimeline;
  /** Area (edge node) of a device. */
  areaOf: (deviceId: string) => string;
  /** Prefix of every topic (see `recordTopic`); default empty. */
  topicRoot?: string;
  /** Corrupt every Nth record (0 corrupts none); alternates truncated JSON and a bad field. */
  corruptEvery: number;
  /** Publishes not yet written or acked, per client, before the emitter waits. Default 1,000. */
  maxInFlight?: number;
  /** Stops emitting once this returns true, checked before each record. */
  isStopped?: () => boolean;
}

/** Counters of an emitter run. */
export interface EmitterStats {
  /** Records published, corrupted ones included. */
  sent: number;
  /** Records published with a corrupted payload. */
  corrupted: number;
  /** Publishes that failed; such a record is still counted as sent, and so as lost. */
  failedPublishes: number;
  /** How late the last record was published against its due time, in µs (>0: behind). */
  lagUs: number;
}

/** Per-device state of an emitter run, looked up once per device instead of once per record. */
interface DeviceRoute {
  client: number;
  /** Topic per metric. */
  topics: Map<string, string>;
  sequence: number;
}

/**
 * Publishes every record of `records` (in event-time order) when it is due and resolves once
 * all publishes have completed.
 */
export async function emitRecords(
  records: AsyncIterable<SensorRecord> | Iterable<SensorRecord>,
  options: EmitterOptions,
): Promise<EmitterStats> {
  const stats: EmitterStats = { sent: 0, corrupted: 0, failedPublishes: 0, lagUs: 0 };
  const limit = options.maxInFlight ?? 1_000;
  const routes = new Map<string, DeviceRoute>();
  // Completion counters instead of a promise per publish: at tens of thousands of publishes a
  // second, the allocations of one promise each cost more than the publish itself.
  const inFlight = new Int32Array(options.clients.length);
  let wake: (() => void) | null = null;
  const completions = options.clients.map((_, index) => (error?: Error) => {
    if (error !== undefined) stats.failedPublishes++;
    inFlight[index]--;
    if (wake !== null && inFlight[index] < limit) {
      const resume = wake;
      wake = null;
      resume();
    }
  });

  for await (const record of records) {
    if (options.isStopped?.() === true) break;
    const dueUs = dueWallUs(options.timeline, record.eventTimeUs);
    const waitUs = Math.floor(dueUs - options.clock.nowUs());
    if (waitUs > 1_000) await sleep(options.clock, waitUs);

    const route = routeOf(routes, record, options);
    const publishTimeUs = options.clock.nowUs();
    const live: LiveRecord = {
      ...record,
      id: recordId(record.deviceId, route.sequence++),
      publishTimeUs,
    };
    const isCorrupted = options.corruptEvery > 0 && (stats.sent + 1) % options.corruptEvery === 0;
    const payload = isCorrupted ? corruptPayload(live, stats.corrupted) : encodeRecord(live);
    if (isCorrupted) stats.corrupted++;

    const index = route.client;
    inFlight[index]++;
    options.clients[index].publish(
      route.topics.get(record.metric)!,
      Buffer.from(payload.buffer, payload.byteOffset, payload.length),
      { qos: options.qos },
      completions[index],
    );
    stats.sent++;
    stats.lagUs = publishTimeUs - dueUs;
    // Bounded in-flight publishes keep memory flat when the broker is slower than the replay.
    while (inFlight[index] >= limit) await new Promise<void>((resolve) => (wake = resolve));
  }

  while (inFlight.some((count) => count > 0)) {
    await new Promise<void>((resolve) => (wake = resolve));
  }
  return stats;
}

function routeOf(
  routes: Map<string, DeviceRoute>,
  record: SensorRecord,
  options: EmitterOptions,
): DeviceRoute {
  let route = routes.get(record.deviceId);
  if (route === undefined) {
    route = {
      client: clientIndex(record.deviceId, options.clients.length),
      topics: new Map(),
      sequence: 0,
    };
    routes.set(record.deviceId, route);
  }
  if (!route.topics.has(record.metric)) {
    const area = options.areaOf(record.deviceId);
    const topic = recordTopic(area, record.deviceId, record.metric, options.topicRoot);
    route.topics.set(record.metric, topic);
  }
  return route;
}

const encoder = new TextEncoder();

/** Returns a payload the edge bridge must reject: truncated JSON, or a value of the wrong type. */
function corruptPayload(record: LiveRecord, corruptedSoFar: number): Uint8Array {
  const json = JSON.stringify({ ...record, value: "not-a-number" });
  if (corruptedSoFar % 2 === 0) return encoder.encode(json);
  return encoder.encode(json.slice(0, Math.floor(json.length / 2)));
}

function clientIndex(deviceId: string, clients: number): number {
  let hash = 0;
  for (let i = 0; i < deviceId.length; i++) hash = (hash * 31 + deviceId.charCodeAt(i)) | 0;
  return Math.abs(hash) % clients;
}

function sleep(clock: Clock, delayUs: number): Promise<void> {
  return new Promise((resolve) => clock.schedule(delayUs, resolve));
}
