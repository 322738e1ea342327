/**
 * Last-writer-wins merge of two plain edge states, used by the push and poll baselines. Each
 * key keeps the write with the later timestamp; ties go to the later `seq` for readings and
 * to the writer id that sorts last for configuration, so every node picks the same winner.
 * Alerts are only ever added, so their merge is a union.
 */
import type { ConfigEntry, DeviceReading, EdgeState } from "./edge-state.js";

/** Returns an empty plain edge state. */
export function emptyEdgeState(): EdgeState {
  return { seq: 0, devices: {}, config: {}, alerts: {} };
}

/** Returns whether configuration write `a` beats `b` under last-writer-wins. */
export function configWins(a: ConfigEntry, b: ConfigEntry | undefined): boolean {
  if (b === undefined) return true;
  if (a.writtenUs !== b.writtenUs) return a.writtenUs > b.writtenUs;
  return a.writer > b.writer;
}

function readingWins(a: DeviceReading, b: DeviceReading | undefined): boolean {
  if (b === undefined) return true;
  if (a.changedUs !== b.changedUs) return a.changedUs > b.changedUs;
  return a.seq > b.seq;
}

/**
 * Merges `remote` into `local` in place; returns whether `local` changed. Any section of
 * `remote` may be absent, as in a push that carries only configuration.
 */
export function mergeLww(local: EdgeState, remote: Partial<EdgeState>): boolean {
  let isChanged = false;
  if (remote.seq !== undefined && remote.seq > local.seq) {
    local.seq = remote.seq;
    isChanged = true;
  }
  for (const [deviceId, reading] of Object.entries(remote.devices ?? {})) {
    if (!readingWins(reading, local.devices[deviceId])) continue;
    local.devices[deviceId] = { ...reading };
    isChanged = true;
  }
  for (const [deviceId, entry] of Object.entries(remote.config ?? {})) {
    if (!configWins(entry, local.config[deviceId])) continue;
    local.config[deviceId] = { ...entry };
    isChanged = true;
  }
  for (const [alertId, alert] of Object.entries(remote.alerts ?? {})) {
    if (local.alerts[alertId] !== undefined) continue;
    local.alerts[alertId] = { ...alert };
    isChanged = true;
  }
  return isChanged;
}
