/**
 * Replay helpers between a trace reader and the device emitters: a bounded reorder buffer that
 * restores event-time order, fan-out of one trace over many virtual devices, and a speed factor.
 * All of them stream, and none keeps more than its window of records in memory.
 */
import { UserInputError } from "../runtime/user-input-error.js";
import { MinHeap } from "./min-heap.js";
import type { SensorRecord } from "./record.js";
import type { ReplayStats } from "./replay-stats.js";

/** A seeded source of uniform draws in [0, 1), such as a named stream of the run's generator. */
export interface UniformSource {
  uniform(): number;
}

/** Options of `reorderByEventTime`. */
export interface ReorderOptions {
  /** How long a record is held waiting for earlier ones, in event-time microseconds. */
  reorderWindowUs: number;
  /** Receives `lateBeyondReorderWindow`. */
  stats: ReplayStats;
}

function requireNonNegativeInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new UserInputError(`invalid ${name} ${value}: expected an integer of at least 0`);
  }
}

/**
 * Yields records in event-time order, holding each one until the stream has reached
 * `reorderWindowUs` past it. Equal times keep their input order. A record that arrives after a
 * later one was already released is yielded anyway, as soon as possible, and counted in
 * `lateBeyondReorderWindow`; nothing is dropped.
 */
export async function* reorderByEventTime(
  source: AsyncIterable<SensorRecord>,
  options: ReorderOptions,
): AsyncGenerator<SensorRecord> {
  requireNonNegativeInteger("reorderWindowUs", options.reorderWindowUs);
  const heap = new MinHeap<{ record: SensorRecord; sequence: number }>(
    (a, b) => a.record.eventTimeUs - b.record.eventTimeUs || a.sequence - b.sequence,
  );
  let sequence = 0;
  let latestUs = -Infinity;
  let releasedUs = -Infinity;

  for await (const record of source) {
    if (record.eventTimeUs < releasedUs) options.stats.lateBeyondReorderWindow += 1;
    heap.push({ record, sequence: sequence++ });
    latestUs = Math.max(latestUs, record.eventTimeUs);

    const releaseUpToUs = latestUs - options.reorderWindowUs;
    while (heap.size > 0 && heap.peek()!.record.eventTimeUs <= releaseUpToUs) {
      const { record: released } = heap.pop()!;
      releasedUs = Math.max(releasedUs, released.eventTimeUs);
      yield released;
    }
  }
  while (heap.size > 0) yield heap.pop()!.record;
}

/** Options of `fanOut`. */
export interface FanOutOptions {
  /** Number of virtual devices per source device, N (at least 1). */
  devices: number;
  /** Spread of the start offsets in microseconds: copy k starts `floor(k * spanUs / N)` later. */
  spanUs: number;
  /** Upper bound (exclusive) of the extra delay drawn per record for copies k >= 1, in µs. */
  jitterUs: number;
  /** Source of the jitter draws; the same seed gives the same stream. */
  rng: UniformSource;
}

/** Returns the start offset of virtual copy `copy`, in microseconds. */
export function virtualOffsetUs(copy: number, devices: number, spanUs: number): number {
  return Math.floor((copy * spanUs) / devices);
}

/** Returns the id of virtual copy `copy` of a device: `${deviceId}~${copy}`. */
export function virtualDeviceId(deviceId: string, copy: number): string {
  return `${deviceId}~${copy}`;
}

/** Splits a virtual device id into the source device id and the copy number. */
export function parseVirtualDeviceId(id: string): { deviceId: string; copy: number } | undefined {
  const match = /^(.*)~(\d+)$/.exec(id);
  return match === null ? undefined : { deviceId: match[1], copy: Number(match[2]) };
}

/**
 * Maps a virtual event time of copy `copy` back to the trace time, e.g. to score a detection
 * against the trace's label windows. The result can be later than the original reading by up to
 * `jitterUs`, because the per-record jitter is not stored.
 */
export function traceTimeUs(
  virtualTimeUs: number,
  copy: number,
  options: Pick<FanOutOptions, "devices" | "spanUs">,
): number {
  return virtualTimeUs - virtualOffsetUs(copy, options.devices, options.spanUs);
}

/** Per-copy state of the fan-out merge. */
interface CopyCursor {
  copy: number;
  /** Absolute index of the copy's next source record. */
  next: number;
  lastSourceUs: number;
  lastVirtualUs: number;
}

/**
 * Replicates a record stream over N virtual devices and merges the copies in event-time order.
 *
 * Copy k of device d is `d~k`; its records are shifted by `virtualOffsetUs(k)` (added, not
 * wrapped, so the replay runs `spanUs` longer) plus, for k >= 1, a jitter drawn uniformly in
 * [0, jitterUs). Copy 0 keeps the original times. Jitter never moves a record before the
 * copy's previous record, so each copy stays ordered.
 *
 * The source is read once. Records stay buffered until the last copy has passed them, which is
 * about `spanUs` of trace; the merge itself is a heap of N entries. The output is in event-time
 * order when the source is; wrap an unordered trace in `reorderByEventTime` first.
 */
export async function* fanOut(
  source: AsyncIterable<SensorRecord>,
  options: FanOutOptions,
): AsyncGenerator<SensorRecord> {
  const { devices, spanUs, jitterUs, rng } = options;
  if (!Number.isSafeInteger(devices) || devices < 1) {
    throw new UserInputError(`invalid devices ${devices}: expected an integer of at least 1`);
  }
  requireNonNegativeInteger("spanUs", spanUs);
  requireNonNegativeInteger("jitterUs", jitterUs);

  const iterator = source[Symbol.asyncIterator]();
  let buffer: SensorRecord[] = [];
  let bufferBase = 0;
  let isSourceDone = false;

  /** Returns the source record at absolute index `index`, reading ahead as needed. */
  const sourceRecord = async (index: number): Promise<SensorRecord | undefined> => {
    while (!isSourceDone && index >= bufferBase + buffer.length) {
      const next = await iterator.next();
      if (next.done) isSourceDone = true;
      else buffer.push(next.value);
    }
    return buffer[index - bufferBase];
  };

  const shift = (record: SensorRecord, cursor: CopyCursor): SensorRecord => {
    let eventTimeUs = record.eventTimeUs;
    if (cursor.copy > 0) {
      eventTimeUs += virtualOffsetUs(cursor.copy, devices, spanUs);
      if (jitterUs > 0) eventTimeUs += Math.floor(rng.uniform() * jitterUs);
      const isSourceOrdered = record.eventTimeUs >= cursor.lastSourceUs;
      if (isSourceOrdered) eventTimeUs = Math.max(eventTimeUs, cursor.lastVirtualUs);
    }
    cursor.lastSourceUs = record.eventTimeUs;
    cursor.lastVirtualUs = eventTimeUs;
    return { ...record, deviceId: virtualDeviceId(record.deviceId, cursor.copy), eventTimeUs };
  };

  const heap = new MinHeap<{ record: SensorRecord; cursor: CopyCursor }>(
    (a, b) => a.record.eventTimeUs - b.record.eventTimeUs || a.cursor.copy - b.cursor.copy,
  );
  const cursors: CopyCursor[] = [];
  const advance = async (cursor: CopyCursor): Promise<void> => {
    const record = await sourceRecord(cursor.next);
    if (record === undefined) return;
    cursor.next += 1;
    heap.push({ record: shift(record, cursor), cursor });
  };

  for (let copy = 0; copy < devices; copy++) {
    const cursor = { copy, next: 0, lastSourceUs: -Infinity, lastVirtualUs: -Infinity };
    cursors.push(cursor);
    await advance(cursor);
  }

  let releasedSinceTrim = 0;
  while (heap.size > 0) {
    const { record, cursor } = heap.pop()!;
    yield record;
    await advance(cursor);

    // Drop the buffered prefix that every copy has passed.
    if (++releasedSinceTrim >= 4096) {
      releasedSinceTrim = 0;
      const oldest = cursors.reduce((lowest, c) => Math.min(lowest, c.next), Infinity);
      buffer = buffer.slice(oldest - bufferBase);
      bufferBase = oldest;
    }
  }
}

/** Options of `speedUp`. */
export interface SpeedOptions {
  /** Replay speed: 2 plays the trace in half its duration. Must be positive. */
  speed: number;
  /** Instant that stays fixed, in µs; defaults to the first record's event time. */
  startUs?: number;
}

/** Compresses one event time around `startUs`: start + (t - start) / speed, rounded to 1 µs. */
export function compressTimeUs(eventTimeUs: number, startUs: number, speed: number): number {
  return startUs + Math.round((eventTimeUs - startUs) / speed);
}

/**
 * Yields the records with their event times compressed around the trace start, so a replay at
 * speed 60 turns one hour of trace into one minute.
 */
export async function* speedUp(
  source: AsyncIterable<SensorRecord>,
  options: SpeedOptions,
): AsyncGenerator<SensorRecord> {
  if (!Number.isFinite(options.speed) || options.speed <= 0) {
    throw new UserInputError(`invalid speed ${options.speed}: expected a positive number`);
  }
  let startUs = options.startUs;
  for await (const record of source) {
    startUs ??= record.eventTimeUs;
    yield { ...record, eventTimeUs: compressTimeUs(record.eventTimeUs, startUs, options.speed) };
  }
}
