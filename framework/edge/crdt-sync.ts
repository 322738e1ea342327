/**
 * One side of an Automerge sync session carried over the Transport: the document, the sync
 * state kept for the one remote peer, and the timers that make the session survive lost,
 * duplicated and reordered messages and reconnects.
 *
 * Each message is an envelope of 6 bytes (format version, flags, then the sender's session
 * number as an unsigned 32-bit big-endian integer) followed by an Automerge sync message.
 *
 * Automerge's protocol assumes that no message is lost, so two recoveries are added. When a
 * peer receives a new session number from its remote, the remote has lost its in-memory sync
 * state. The peer then drops what it assumed the remote had received and keeps only the heads
 * both sides confirmed, so a reconnected pair does not wait on each other forever. A resend
 * also carries the reply-requested flag, which makes the receiver reply even when Automerge
 * has nothing to send. Otherwise a peer whose own message was lost would never learn that the
 * other side is up to date, and would resend forever.
 */
import * as Automerge from "@automerge/automerge";
import type { Clock, TimerHandle } from "../runtime/clock.js";
import type { Transport } from "../runtime/transport.js";

const ENVELOPE_VERSION = 1;
const ENVELOPE_BYTES = 6;
const REPLY_REQUESTED = 0x01;
/** Replies received without progress before the sync state is reset. */
const STALLED_ROUNDS = 3;

/** Options of a `CrdtSyncPeer`. */
export interface CrdtSyncOptions {
  /** Topic this peer publishes on, which the remote subscribes to. */
  sendTopic: string;
  /** Topic the remote publishes on. */
  receiveTopic: string;
  /**
   * Session number of this connection; a new connection or process must use a different one.
   * Default 0.
   */
  session?: number;
  /** First wait before resending while the remote lacks local changes, in µs; default 1 s. */
  retryUs?: number;
  /** Ceiling of the doubling resend wait, in microseconds; default 30 s. */
  maxRetryUs?: number;
  /**
   * Wait after a local change before sending, in microseconds, so that changes made in a
   * burst travel in one sync message. Default undefined: send on every change.
   */
  batchDelayUs?: number;
}

/** Counters of one sync session. */
export interface CrdtSyncStats {
  messagesSent: number;
  /** Bytes published, envelopes included. */
  bytesSent: number;
  messagesReceived: number;
  bytesReceived: number;
  /** Resends after `retryUs` without the remote confirming local changes. */
  retries: number;
  /** Sync-state recoveries after the remote's session number changed. */
  remoteSessionChanges: number;
  /** Messages dropped because they could not be decoded. */
  rejected: number;
  /** Sync-state resets after replies that made no progress. */
  stallRecoveries: number;
}

/** Keeps `doc` in sync with one remote replica over `transport`. */
export class CrdtSyncPeer<T> {
  readonly stats: CrdtSyncStats = {
    messagesSent: 0,
    bytesSent: 0,
    messagesReceived: 0,
    bytesReceived: 0,
    retries: 0,
    remoteSessionChanges: 0,
    rejected: 0,
    stallRecoveries: 0,
  };
  private syncState = Automerge.initSyncState();
  private session: number;
  private remoteSession: number | undefined;
  private retryTimer: TimerHandle | null = null;
  private batchTimer: TimerHandle | null = null;
  private roundsWithoutProgress = 0;
  private retryDelayUs: number;
  private unsubscribe: (() => void) | null = null;
  private readonly listeners = new Set<(doc: Automerge.Doc<T>) => void>();

  constructor(
    private readonly transport: Transport,
    private readonly clock: Clock,
    private current: Automerge.Doc<T>,
    private readonly options: CrdtSyncOptions,
  ) {
    this.session = options.session ?? 0;
    this.retryDelayUs = options.retryUs ?? 1_000_000;
  }

  /** The current document. */
  get doc(): Automerge.Doc<T> {
    return this.current;
  }

  /** Whether the remote has confirmed every local change. */
  get isRemoteUpToDate(): boolean {
    return Automerge.hasOurChanges(this.current, this.syncState);
  }

  /** Subscribes to the receive topic and sends the opening message. */
  start(): void {
    if (this.unsubscribe !== null) return;
    this.unsubscribe = this.transport.subscribe(this.options.receiveTopic, (_topic, payload) =>
      this.receive(payload),
    );
    this.offer(true);
  }

  /** Unsubscribes and cancels the resend timer; `start` resumes the session. */
  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.cancelRetry();
    if (this.batchTimer !== null) this.clock.cancel(this.batchTimer);
    this.batchTimer = null;
  }

  /** Adds a listener called after every remote change is applied; returns its remover. */
  onRemoteChange(listener: (doc: Automerge.Doc<T>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies a local change (`edit` returns the new document) and offers it to the remote. */
  update(edit: (doc: Automerge.Doc<T>) => Automerge.Doc<T>): void {
    this.current = edit(this.current);
    const delayUs = this.options.batchDelayUs;
    if (delayUs === undefined) {
      this.flush();
      return;
    }
    this.batchTimer ??= this.clock.schedule(delayUs, () => {
      this.batchTimer = null;
      this.flush();
    });
  }

  /**
   * Starts a new session after a reconnect under the same identity. Keeps the heads both sides
   * confirmed, drops the record of messages in flight, and sends the new session number.
   */
  reconnect(session: number): void {
    if (session === this.session) {
      throw new Error(`reconnect needs a new session number, got the current one ${session}`);
    }
    this.session = session;
    this.recoverSyncState();
    this.offer(true);
  }

  /** Sends the next sync message when Automerge has one, and arms the resend timer. */
  flush(): void {
    this.offer(false);
  }

  private offer(isReplyRequested: boolean): void {
    const [state, message] = Automerge.generateSyncMessage(this.current, this.syncState);
    this.syncState = state;
    if (message !== null) this.send(message, isReplyRequested);
    this.armRetry();
  }

  private send(message: Uint8Array, isReplyRequested: boolean): void {
    const envelope = new Uint8Array(ENVELOPE_BYTES + message.byteLength);
    envelope[0] = ENVELOPE_VERSION;
    envelope[1] = isReplyRequested ? REPLY_REQUESTED : 0;
    new DataView(envelope.buffer).setUint32(2, this.session >>> 0);
    envelope.set(message, ENVELOPE_BYTES);
    this.stats.messagesSent++;
    this.stats.bytesSent += envelope.byteLength;
    this.transport.publish(this.options.sendTopic, envelope);
  }

  private receive(payload: Uint8Array): void {
    if (payload.byteLength < ENVELOPE_BYTES || payload[0] !== ENVELOPE_VERSION) {
      this.stats.rejected++;
      return;
    }
    this.stats.messagesReceived++;
    this.stats.bytesReceived += payload.byteLength;

    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    const session = view.getUint32(2);
    if (this.remoteSession !== undefined && session !== this.remoteSession) {
      this.stats.remoteSessionChanges++;
      this.recoverSyncState();
    }
    this.remoteSession = session;

    const before = Automerge.getHeads(this.current);
    try {
      const [doc, state] = Automerge.receiveSyncMessage(
        this.current,
        this.syncState,
        payload.subarray(ENVELOPE_BYTES),
      );
      this.current = doc;
      this.syncState = state;
    } catch {
      this.stats.rejected++;
      return;
    }
    const isDocChanged = !sameHeads(before, Automerge.getHeads(this.current));
    if (isDocChanged) {
      for (const listener of this.listeners) listener(this.current);
    }

    // After a lost message the two sync states can disagree so that every reply is answered
    // without either side sending the missing changes, for ever. A few replies without
    // progress reset what this side believes it has sent.
    if (isDocChanged || this.isRemoteUpToDate) this.roundsWithoutProgress = 0;
    else if (++this.roundsWithoutProgress >= STALLED_ROUNDS) {
      this.roundsWithoutProgress = 0;
      this.stats.stallRecoveries++;
      this.recoverSyncState();
    }
    this.reply((payload[1] & REPLY_REQUESTED) !== 0);
  }

  /** Sends what Automerge has to send, or when a reply was requested, at least our heads. */
  private reply(isReplyRequested: boolean): void {
    const [state, message] = Automerge.generateSyncMessage(this.current, this.syncState);
    this.syncState = state;
    if (message !== null) this.send(message, false);
    else if (isReplyRequested) {
      // A recovered state always yields a message because its record of sent changes is empty.
      this.recoverSyncState();
      this.flush();
      return;
    }
    this.armRetry();
  }

  /**
   * Keeps only the confirmed shared heads. Encoding a sync state keeps only what "should be
   * reused across connections" (automerge crate 0.7, src/sync/state.rs, doc of `State`).
   */
  private recoverSyncState(): void {
    this.syncState = Automerge.decodeSyncState(Automerge.encodeSyncState(this.syncState));
  }

  // Resends only while the remote lacks local changes; the remote's own timer covers the
  // reverse direction, so a converged pair goes quiet.
  private armRetry(): void {
    if (this.isRemoteUpToDate) {
      this.cancelRetry();
      this.retryDelayUs = this.options.retryUs ?? 1_000_000;
      return;
    }
    if (this.retryTimer !== null || this.unsubscribe === null) return;
    this.retryTimer = this.clock.schedule(this.retryDelayUs, () => {
      this.retryTimer = null;
      if (this.isRemoteUpToDate) return;
      this.stats.retries++;
      this.retryDelayUs = Math.min(2 * this.retryDelayUs, this.options.maxRetryUs ?? 30_000_000);
      this.recoverSyncState();
      this.offer(true);
    });
  }

  private cancelRetry(): void {
    if (this.retryTimer === null) return;
    this.clock.cancel(this.retryTimer);
    this.retryTimer = null;
  }
}

function sameHeads(a: Automerge.Heads, b: Automerge.Heads): boolean {
  return a.length === b.length && a.every((hash) => b.includes(hash));
}
