/**
 * The interface the sync comparison drives: each scheme (Automerge CRDT, last-writer-wins
 * full-state push, cloud polling) gives one edge side and one cloud side per edge node, both
 * over the same Transport and Clock.
 */
import type { Clock } from "../runtime/clock.js";
import type { Transport } from "../runtime/transport.js";
import type { EdgeState } from "./edge-state.js";

/** Names of the sync schemes, as the `--sync` flag takes them. */
export const syncSchemeNames = ["crdt", "lww", "poll"] as const;

/** One sync scheme name. */
export type SyncSchemeName = (typeof syncSchemeNames)[number];

/** Returns whether `name` is a sync scheme. */
export function isSyncSchemeName(name: string): name is SyncSchemeName {
  return (syncSchemeNames as readonly string[]).includes(name);
}

/** Traffic counters of one side of one edge's sync. */
export interface SyncTraffic {
  messagesSent: number;
  /** Bytes published by this side, framing included. */
  bytesSent: number;
}

/** Writes and reads one side of an edge's state may make. */
export interface SyncSide {
  /** The state as this side sees it now. */
  view(): Readonly<EdgeState>;
  /** Sets a device's configuration value on this side. */
  writeConfig(deviceId: string, value: number, nowUs: number): void;
  /** Adds a listener called after a change from the other side is applied. */
  onRemoteChange(listener: () => void): void;
  readonly traffic: SyncTraffic;
  /** Starts syncing: subscribes and sends any opening message. */
  start(): void;
}

/** The edge side, the only writer of readings and alerts. */
export interface EdgeSyncSide extends SyncSide {
  writeReading(deviceId: string, value: number, nowUs: number): void;
  writeAlert(deviceId: string, value: number, nowUs: number): void;
}

/** Timing of the schemes, in microseconds. */
export interface SyncTiming {
  /** CRDT: first resend wait while the remote lacks local changes. */
  retryUs: number;
  /** LWW: push interval; 0 pushes the full state on every change. */
  lwwPushIntervalUs: number;
  /** Poll: interval between cloud polls of each edge. */
  pollIntervalUs: number;
}

/** Creates both sides of one edge's sync under a scheme. */
export type SyncSchemeFactory = (
  transport: Transport,
  clock: Clock,
  edgeId: string,
  timing: SyncTiming,
) => { edge: EdgeSyncSide; cloud: SyncSide };
