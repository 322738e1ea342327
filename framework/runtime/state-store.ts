/** Keyed state for framework modules: in memory by default, Redis when configured. */
export interface StateStore {
  /** Returns the value stored under `key`, or undefined when there is none. */
  get(key: string): Uint8Array | undefined;
  /** Stores `value` under `key`, replacing any previous value. */
  set(key: string, value: Uint8Array): void;
  /** Removes `key`; removing a missing key does nothing. */
  delete(key: string): void;
}

/** A StateStore held in a Map. */
export class MemoryStateStore implements StateStore {
  private readonly entries = new Map<string, Uint8Array>();

  get(key: string): Uint8Array | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: Uint8Array): void {
    this.entries.set(key, value);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
