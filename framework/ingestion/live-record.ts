/**
 * The envelope a live record travels in from device to cloud: the sensor reading plus a
 * record id (for deduplication) and the wall-clock time it was published (for ingestion
 * latency). Encoded as JSON, one record per MQTT message.
 */
import type { SensorRecord } from "./record.js";

/** A sensor reading as published by a device emitter. */
export interface LiveRecord extends SensorRecord {
  /** Unique per run: `${emitter}:${sequence}`, where sequence counts from 0 per emitter. */
  id: string;
  /** Wall-clock time of the publish, in integer µs since the Unix epoch. */
  publishTimeUs: number;
}

/** Outcome of decoding one payload: the record, or why it goes to the dead-letter topic. */
export type DecodeResult =
  { ok: true; record: LiveRecord } | { ok: false; reason: string; id: string | null };

/** Returns the record id of sequence number `sequence` of `emitter`. */
export function recordId(emitter: string, sequence: number): string {
  return `${emitter}:${sequence}`;
}

/** Splits a record id into its emitter and sequence number; undefined when malformed. */
export function parseRecordId(id: string): { emitter: string; sequence: number } | undefined {
  const colon = id.lastIndexOf(":");
  if (colon <= 0) return undefined;
  const sequence = Number(id.slice(colon + 1));
  if (!Number.isSafeInteger(sequence) || sequence < 0) return undefined;
  return { emitter: id.slice(0, colon), sequence };
}

/**
 * Returns the MQTT topic of a reading: `<root>iot/<area>/<device>/<metric>`. Characters that
 * MQTT reserves in topic levels (`/`, `+`, `#`) are replaced by `_` inside each level. The root
 * (empty, or levels ending in `/`) keeps runs that share a broker apart.
 */
export function recordTopic(area: string, deviceId: string, metric: string, root = ""): string {
  return `${root}iot/${topicLevel(area)}/${topicLevel(deviceId)}/${topicLevel(metric)}`;
}

/** Returns the topic root of a live run: `runs/<runTag>/`, with reserved characters replaced. */
export function runTopicRoot(runTag: string): string {
  return `runs/${topicLevel(runTag)}/`;
}

function topicLevel(text: string): string {
  return text.replace(/[/+#\u0000]/g, "_");
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encodes a record as UTF-8 JSON. */
export function encodeRecord(record: LiveRecord): Uint8Array {
  return encoder.encode(JSON.stringify(record));
}

/**
 * Decodes and validates one payload. A payload is rejected when it is not JSON, or when a
 * field is missing or of the wrong type; the reason names the field. When the id can still be
 * read from a rejected payload it is returned, so dead-lettered records are counted once.
 */
export function decodeRecord(payload: Uint8Array): DecodeResult {
  const text = decoder.decode(payload);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${(error as Error).message}`, id: idInText(text) };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, reason: "payload is not a JSON object", id: null };
  }
  const fields = value as Record<string, unknown>;
  const id = typeof fields.id === "string" ? fields.id : null;
  const problem = recordProblem(fields);
  if (problem !== null) return { ok: false, reason: problem, id };
  return { ok: true, record: fields as unknown as LiveRecord };
}

function recordProblem(fields: Record<string, unknown>): string | null {
  if (typeof fields.id !== "string" || parseRecordId(fields.id) === undefined) {
    return "id must be a string of the form emitter:sequence";
  }
  if (typeof fields.deviceId !== "string" || fields.deviceId === "") {
    return "deviceId must be a non-empty string";
  }
  if (typeof fields.metric !== "string" || fields.metric === "") {
    return "metric must be a non-empty string";
  }
  if (!Number.isSafeInteger(fields.eventTimeUs)) {
    return "eventTimeUs must be an integer of microseconds";
  }
  if (!Number.isSafeInteger(fields.publishTimeUs)) {
    return "publishTimeUs must be an integer of microseconds";
  }
  if (fields.value !== null && typeof fields.value !== "number") {
    return "value must be a number or null";
  }
  return null;
}

/** Finds `"id":"..."` in a payload that is not valid JSON, such as a truncated one. */
function idInText(text: string): string | null {
  const match = /"id"\s*:\s*"([^"\\]+)"/.exec(text);
  return match === null ? null : match[1];
}
