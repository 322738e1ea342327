/**
 * Placement of local wall-clock times in a time zone, including the two hours a year where the
 * mapping is not one to one. When clocks fall back, one local hour occurs twice; when they spring
 * forward, one local hour does not exist.
 */
import { Info, type Zone } from "luxon";

/** Relation of a local time to the zone's daylight-saving changes. */
export type LocalTimeKind = "regular" | "ambiguous" | "nonexistent";

/** A local time placed on the UTC time line. */
export interface ResolvedTime {
  /** Instant in integer microseconds since the Unix epoch. */
  epochUs: number;
  kind: LocalTimeKind;
}

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

// Zones that depend on the machine running the replay, which would make results unrepeatable.
const MACHINE_ZONES = new Set(["local", "system", "default"]);

/**
 * Loads an IANA zone (`"Europe/Rome"`), `"UTC"` or a fixed offset (`"UTC+1"`); undefined when the
 * name is unknown or names the machine's own zone.
 */
export function loadZone(name: string): Zone | undefined {
  if (MACHINE_ZONES.has(name.toLowerCase())) return undefined;
  const zone = Info.normalizeZone(name);
  return zone.isValid ? zone : undefined;
}

/**
 * Places a wall-clock time in `zone`.
 *
 * - A time that occurs twice (clocks fell back) takes the earlier instant, on the summer
 *   offset, when that instant is after `previousEpochUs`. Otherwise it takes the later one. A
 *   device that logs through the change thus maps the first pass of the hour to summer time and
 *   the second pass to standard time, in file order.
 * - A time that does not exist (clocks sprang forward) is shifted forward by the gap, so 02:30
 *   on the spring change in Europe/Rome becomes 03:30 summer time.
 * - `lateFallBackUs` > 0 models a logger that falls back late: for that long after the zone's
 *   change, a local time may still be on the summer offset, and is resolved as a repeated time.
 *   NOTE: the first row after a gap that ends inside that window also takes the summer offset,
 *   which is an hour early if the logger had in fact already switched.
 *
 * @param wallUs Local time read as if it were UTC, in microseconds.
 * @param previousEpochUs Instant of the same device's previous row, if any.
 */
export function resolveLocalTime(
  wallUs: number,
  zone: Zone,
  previousEpochUs: number | undefined,
  lateFallBackUs: number,
): ResolvedTime {
  if (zone.isUniversal) {
    return { epochUs: wallUs - zone.offset(0) * MS_PER_MINUTE * 1000, kind: "regular" };
  }
  const wallMs = Math.floor(wallUs / 1000);
  const subMillisecondUs = wallUs - wallMs * 1000;
  const toUs = (epochMs: number): number => epochMs * 1000 + subMillisecondUs;

  // Offsets a day either side bracket any change affecting this wall time.
  const offsetBefore = zone.offset(wallMs - MS_PER_DAY);
  const offsetAfter = zone.offset(wallMs + MS_PER_DAY);
  const candidatesMs = [...new Set([offsetBefore, offsetAfter])]
    .map((offset) => ({ offset, epochMs: wallMs - offset * MS_PER_MINUTE }))
    .filter(({ offset, epochMs }) => zone.offset(epochMs) === offset)
    .map(({ epochMs }) => epochMs)
    .sort((a, b) => a - b);

  if (candidatesMs.length === 0) {
    return { epochUs: toUs(wallMs - offsetBefore * MS_PER_MINUTE), kind: "nonexistent" };
  }
  if (candidatesMs.length === 1 && lateFallBackUs > 0 && offsetBefore > offsetAfter) {
    const summerMs = wallMs - offsetBefore * MS_PER_MINUTE;
    const lateFallBackMs = Math.floor(lateFallBackUs / 1000);
    const isJustAfterChange =
      zone.offset(summerMs) !== offsetBefore &&
      zone.offset(summerMs - lateFallBackMs) === offsetBefore;
    if (isJustAfterChange) candidatesMs.unshift(summerMs);
  }
  if (candidatesMs.length === 1) return { epochUs: toUs(candidatesMs[0]), kind: "regular" };

  const earlierUs = toUs(candidatesMs[0]);
  const isFirstPass = previousEpochUs === undefined || earlierUs > previousEpochUs;
  return { epochUs: isFirstPass ? earlierUs : toUs(candidatesMs[1]), kind: "ambiguous" };
}
