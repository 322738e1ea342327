/**
 * Ground-truth anomaly windows: NAB's combined label windows read from their JSON file, and
 * windows built from an inline label series such as SKAB's `anomaly` column.
 */

import { readFile } from "node:fs/promises";
import { DateTime } from "luxon";
import type { SensorRecord } from "../ingestion/record.js";
import { UserInputError } from "../runtime/user-input-error.js";

export { scoreDetections, type DetectionScore } from "./detection-score.js";

/** A labelled time range with both ends inclusive, in µs since the Unix epoch. */
export interface LabelWindow {
  startUs: number;
  endUs: number;
}

// NAB writes "2015-09-11 15:34:00.000000". A "T" separator and 0 to 6 fraction digits also pass.
const NAB_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/**
 * Converts a NAB timestamp, a wall-clock time with no zone, to µs since the Unix epoch by
 * reading it in `zone` (an IANA zone name or "UTC"). Fractional seconds keep full µs
 * precision. Wall-clock times that fall in a daylight-saving gap move forward by the gap, and
 * repeated wall-clock times take the later offset, as luxon 3.7 resolves them.
 *
 * @throws UserInputError when the text is not such a timestamp or the zone is unknown
 */
export function parseNabTimestamp(text: string, zone = "UTC"): number {
  const match = NAB_TIMESTAMP.exec(text);
  if (match === null) {
    const expected = `"YYYY-MM-DD hh:mm:ss" with up to 6 fraction digits`;
    throw new UserInputError(`invalid NAB timestamp "${text}": expected ${expected}`);
  }
  const [, year, month, day, hour, minute, second, fraction = ""] = match;
  const wallClock = DateTime.fromObject(
    {
      year: Number(year),
      month: Number(month),
      day: Number(day),
      hour: Number(hour),
      minute: Number(minute),
      second: Number(second),
    },
    { zone },
  );
  if (!wallClock.isValid) {
    const reason = wallClock.invalidExplanation ?? wallClock.invalidReason;
    throw new UserInputError(`invalid NAB timestamp "${text}" in zone "${zone}": ${reason}`);
  }
  return wallClock.toMillis() * 1000 + Number(fraction.padEnd(6, "0"));
}

/**
 * Converts NAB's combined windows JSON, an object mapping `"<folder>/<file>.csv"` to a list of
 * `[start, end]` timestamp pairs, into windows per file key, in file order.
 *
 * @throws UserInputError naming the first entry that does not have that shape
 */
export function parseNabWindows(json: unknown, zone = "UTC"): Map<string, LabelWindow[]> {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new UserInputError(
      "invalid NAB windows: expected an object mapping file keys to lists of [start, end] pairs",
    );
  }
  const windowsByFile = new Map<string, LabelWindow[]>();
  for (const [fileKey, pairs] of Object.entries(json)) {
    if (!Array.isArray(pairs)) {
      throw new UserInputError(`invalid NAB windows for "${fileKey}": expected a list of pairs`);
    }
    const windows = pairs.map((pair: unknown, index) => {
      if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((t) => typeof t === "string")) {
        throw new UserInputError(
          `invalid NAB window ${index} for "${fileKey}": expected a pair of timestamp strings`,
        );
      }
      return checkedWindow(
        { startUs: parseNabTimestamp(pair[0], zone), endUs: parseNabTimestamp(pair[1], zone) },
        `NAB window ${index} for "${fileKey}"`,
      );
    });
    windowsByFile.set(fileKey, windows);
  }
  return windowsByFile;
}

/**
 * Reads and converts a NAB combined windows file such as `nab_combined_windows.json`.
 *
 * @throws UserInputError when the file cannot be read or is not such a file
 */
export async function loadNabWindows(
  path: string,
  zone = "UTC",
): Promise<Map<string, LabelWindow[]>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new UserInputError(`cannot read NAB windows file "${path}": ${String(error)}`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserInputError(`invalid JSON in NAB windows file "${path}": ${String(error)}`, {
      cause: error,
    });
  }
  return parseNabWindows(json, zone);
}

/**
 * Returns the windows of one NAB data file. `fileName` may be the exact key
 * (`"realTraffic/speed_7578.csv"`), the file name with or without `.csv` (`"speed_7578"`), or
 * the name of a local copy with `nab_` in front, with or without the folder
 * (`"nab_realTraffic_speed_7578.csv"`, `"nab_speed_7578.csv"`). A file that NAB
 * lists with no windows gives an empty list.
 *
 * @throws UserInputError when no key or more than one key matches
 */
export function nabWindowsForFile(
  windowsByFile: ReadonlyMap<string, LabelWindow[]>,
  fileName: string,
): LabelWindow[] {
  const exact = windowsByFile.get(fileName);
  if (exact !== undefined) {
    return exact;
  }
  const wanted = stem(fileName);
  const matches = [...windowsByFile.keys()].filter(
    (key) => stem(key) === wanted || localCopyStems(key).includes(wanted),
  );
  if (matches.length === 1) {
    return windowsByFile.get(matches[0]) as LabelWindow[];
  }
  if (matches.length === 0) {
    const expected = `a key such as "realTraffic/speed_7578.csv" or its file name`;
    throw new UserInputError(`no NAB windows for "${fileName}": expected ${expected}`);
  }
  const matchList = matches.map((key) => `"${key}"`).join(", ");
  throw new UserInputError(
    `ambiguous NAB file "${fileName}": matches ${matchList}; pass the full key`,
  );
}

/**
 * Builds label windows from an inline label series such as SKAB's `anomaly` column. A record
 * carries the label `labelName` either as its metric and value or in its `labels` field. A
 * non-zero label marks an anomalous instant. In event-time order, each run of them up to the
 * next zero label becomes one window, from its first to its last labelled event time. Records
 * without the label, or with a null label, are ignored.
 *
 * @throws UserInputError when the label records come from more than one device, because runs
 *   of different devices must not merge
 */
export function labelWindowsFromRecords(
  records: Iterable<SensorRecord>,
  labelName: string,
): LabelWindow[] {
  const labels: { eventTimeUs: number; isAnomalous: boolean }[] = [];
  let deviceId: string | null = null;
  for (const record of records) {
    const label = record.metric === labelName ? record.value : record.labels?.[labelName];
    if (label === undefined || label === null) {
      continue;
    }
    if (deviceId !== null && record.deviceId !== deviceId) {
      const devices = `"${deviceId}" and "${record.deviceId}"`;
      throw new UserInputError(
        `label records of "${labelName}" come from devices ${devices}: pass one device's records`,
      );
    }
    deviceId = record.deviceId;
    labels.push({ eventTimeUs: record.eventTimeUs, isAnomalous: label !== 0 });
  }
  // Array.prototype.sort is stable, so equal times keep their input order.
  labels.sort((a, b) => a.eventTimeUs - b.eventTimeUs);

  const windows: LabelWindow[] = [];
  let open: LabelWindow | null = null;
  for (const label of labels) {
    if (!label.isAnomalous) {
      open = null;
    } else if (open === null) {
      open = { startUs: label.eventTimeUs, endUs: label.eventTimeUs };
      windows.push(open);
    } else {
      open.endUs = label.eventTimeUs;
    }
  }
  return windows;
}

/**
 * Checks caller-built label windows and returns them sorted by start, then end.
 *
 * @throws UserInputError naming the first window with a non-integer bound or an end before
 *   its start
 */
export function normalizeLabelWindows(windows: readonly LabelWindow[]): LabelWindow[] {
  const checked = windows.map((window, index) => checkedWindow(window, `label window ${index}`));
  return checked.sort((a, b) => a.startUs - b.startUs || a.endUs - b.endUs);
}

function checkedWindow(window: LabelWindow, description: string): LabelWindow {
  const { startUs, endUs } = window;
  if (!Number.isSafeInteger(startUs) || !Number.isSafeInteger(endUs) || endUs < startUs) {
    const bounds = `start ${startUs} and end ${endUs}`;
    throw new UserInputError(
      `invalid ${description}: ${bounds}: expected integer µs with start <= end`,
    );
  }
  return { startUs, endUs };
}

/** Returns the stems a local copy of `key` may have, `nab_folder_name` and `nab_name`. */
function localCopyStems(key: string): string[] {
  return [`nab_${key.replace(/\.csv$/, "").replace("/", "_")}`, `nab_${stem(key)}`];
}

function stem(fileName: string): string {
  const baseName = fileName.slice(fileName.lastIndexOf("/") + 1);
  return baseName.replace(/\.csv$/, "");
}
