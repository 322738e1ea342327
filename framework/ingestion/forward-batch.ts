/**
 * Messages between the edge bridge and the cloud: a forward batch (an edge node's validated
 * records of one flush) and a dead letter (a rejected payload with the reason). Both are JSON.
 */
import type { LiveRecord } from "./live-record.js";

/** Validated records of one area, forwarded together. */
export interface ForwardBatch {
  area: string;
  /** Wall-clock time the edge node sent the batch, in µs since the Unix epoch. */
  forwardTimeUs: number;
  records: LiveRecord[];
}

/** A payload the edge bridge rejected. */
export interface DeadLetter {
  /** Record id when it could be read from the payload, else null. */
  id: string | null;
  /** Why the payload was rejected, such as `invalid JSON: ...` or `value must be ...`. */
  reason: string;
  /** MQTT topic the payload arrived on. */
  topic: string;
  /** The payload as text, cut to 1,000 characters. */
  payload: string;
  /** Wall-clock time of the rejection, in µs since the Unix epoch. */
  rejectedAtUs: number;
}

/** Sends edge output to the cloud: MQTT topics, or Kafka topics. */
export interface EdgeForwarder {
  /** Sends one batch; resolves when the broker has acknowledged it. */
  forward(batch: ForwardBatch): Promise<void>;
  /** Sends one dead letter; resolves when the broker has acknowledged it. */
  deadLetter(letter: DeadLetter): Promise<void>;
}

/** Receives the cloud side's input: forward batches and dead letters, in arrival order. */
export interface CloudInputHandlers {
  onBatch(batch: ForwardBatch, receiveTimeUs: number): void;
  onDeadLetter(letter: DeadLetter): void;
}

/** A source of forward batches and dead letters on the cloud side. */
export interface CloudSource {
  /** Starts delivering to `handlers`; resolves once subscribed. */
  start(handlers: CloudInputHandlers): Promise<void>;
  /** Stops fetching so the backlog stays in the broker; no-op where the source cannot pause. */
  pause(): void;
  /** Resumes fetching after `pause`. */
  resume(): void;
  /** Messages in the broker not yet delivered to this consumer, or null where not measurable. */
  lag(): Promise<number | null>;
  close(): Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encodes a batch or a dead letter as UTF-8 JSON. */
export function encodeJson(value: ForwardBatch | DeadLetter): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/**
 * Decodes a forward batch. Records were validated at the edge, so only the envelope is checked.
 *
 * @throws Error when the payload is not a forward batch
 */
export function decodeForwardBatch(payload: Uint8Array): ForwardBatch {
  const value = JSON.parse(decoder.decode(payload)) as ForwardBatch;
  if (typeof value.area !== "string" || !Array.isArray(value.records)) {
    throw new Error("payload is not a forward batch: area or records missing");
  }
  return value;
}

/**
 * Decodes a dead letter.
 *
 * @throws Error when the payload is not a dead letter
 */
export function decodeDeadLetter(payload: Uint8Array): DeadLetter {
  const value = JSON.parse(decoder.decode(payload)) as DeadLetter;
  if (typeof value.reason !== "string") throw new Error("payload is not a dead letter: no reason");
  return value;
}
