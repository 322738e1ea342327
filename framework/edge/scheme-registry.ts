/** The sync schemes by name, as `--sync` takes them. */
import { createCrdtSync } from "./crdt-scheme.js";
import { createLwwSync } from "./lww-sync.js";
import { createPollSync } from "./poll-sync.js";
import type { SyncSchemeFactory, SyncSchemeName } from "./sync-scheme.js";

/** Factory of each scheme. */
export const syncSchemes: Record<SyncSchemeName, SyncSchemeFactory> = {
  crdt: createCrdtSync,
  lww: createLwwSync,
  poll: createPollSync,
};

/** How each scheme resolves concurrent configuration writes. */
export const conflictResolution: Record<SyncSchemeName, string> = {
  crdt: "Automerge op order; loser kept in conflicts",
  lww: "later timestamp; loser dropped",
  poll: "later timestamp on the edge; loser dropped",
};
