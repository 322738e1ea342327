/**
 * Duplicate detection by record id. At-least-once delivery (MQTT QoS 1 after a reconnect,
 * Kafka after a rebalance) can hand the same record over twice; the cloud side keeps the first
 * and counts the rest. Ids are `${emitter}:${sequence}`, so each emitter needs only the lowest
 * sequence not yet seen plus the set of sequences seen above it: memory grows with records
 * missing or out of order, not with records seen.
 */
import { parseRecordId } from "./live-record.js";

interface EmitterState {
  /** Every sequence below this has been seen. */
  nextUnseen: number;
  /** Sequences seen at or above `nextUnseen`. */
  seenAbove: Set<number>;
}

/** Remembers which record ids have been seen. */
export class RecordDeduplicator {
  private readonly emitters = new Map<string, EmitterState>();
  private duplicateCount = 0;

  /**
   * Marks `id` as seen. Returns true the first time an id is seen and false for a duplicate.
   *
   * @throws Error when `id` is not of the form `emitter:sequence`
   */
  markSeen(id: string): boolean {
    const parsed = parseRecordId(id);
    if (parsed === undefined)
      throw new Error(`record id "${id}" is not of the form emitter:sequence`);
    let state = this.emitters.get(parsed.emitter);
    if (state === undefined) {
      state = { nextUnseen: 0, seenAbove: new Set() };
      this.emitters.set(parsed.emitter, state);
    }

    const { sequence } = parsed;
    if (sequence < state.nextUnseen || state.seenAbove.has(sequence)) {
      this.duplicateCount++;
      return false;
    }
    state.seenAbove.add(sequence);
    while (state.seenAbove.delete(state.nextUnseen)) state.nextUnseen++;
    return true;
  }

  /** Duplicates detected so far. */
  get duplicates(): number {
    return this.duplicateCount;
  }

  /** Sequences held above each emitter's contiguous prefix: the structure's memory, in entries. */
  get pendingEntries(): number {
    let total = 0;
    for (const state of this.emitters.values()) total += state.seenAbove.size;
    return total;
  }
}
