/** Validation of a descriptor's `time` section. */
import { DateTime } from "luxon";
import type { FormatSpec, RateSpec, StartSpec, TimeSpec } from "./descriptor.js";
import { readColumnRef } from "./descriptor-format.js";
import {
  childPath,
  describeJson,
  type IssueList,
  isObject,
  readChoice,
  readInteger,
  readObject,
  readOptionalString,
  readString,
  rejectUnknownKeys,
} from "./json-fields.js";
import { loadZone } from "./local-time.js";
import { checkPattern, elapsedFormats } from "./time-format.js";

const TIME_KINDS = ["column", "dateAndTime", "sampled", "elapsed"] as const;
const EPOCH_FORMATS = ["epochSeconds", "epochMillis"];
const US_PER_MINUTE = 60_000_000;

const KEYS_BY_KIND: Record<(typeof TIME_KINDS)[number], string[]> = {
  column: ["kind", "column", "format", "timeZone", "lateFallBackMinutes"],
  dateAndTime: [
    "kind",
    "dateColumn",
    "dateFormat",
    "timeColumn",
    "timeFormat",
    "timeZone",
    "lateFallBackMinutes",
  ],
  sampled: ["kind", "start", "rateHz"],
  elapsed: ["kind", "column", "format", "start"],
};

/** Reads the `time` section; undefined, with issues recorded, when it is invalid. */
export function readTime(
  value: unknown,
  path: string,
  format: FormatSpec,
  issues: IssueList,
): TimeSpec | undefined {
  const object = readObject(value, path, issues);
  if (object === undefined) return undefined;
  const kind = readChoice(object, "kind", TIME_KINDS, path, issues);
  if (kind === undefined) return undefined;
  rejectUnknownKeys(object, KEYS_BY_KIND[kind], path, issues);

  switch (kind) {
    case "column":
      return readColumnTime(object, path, format, issues);
    case "dateAndTime":
      return readDateAndTime(object, path, format, issues);
    case "sampled": {
      const start = readStart(object.start, childPath(path, "start"), format, issues);
      const rate = readRate(object.rateHz, childPath(path, "rateHz"), format, issues);
      return start && rate && { kind, start, rate };
    }
    case "elapsed": {
      const column = readColumnRef(object, "column", path, format, issues);
      const elapsedFormat = readChoice(object, "format", elapsedFormats, path, issues);
      const start = readStart(object.start, childPath(path, "start"), format, issues);
      if (column === undefined || elapsedFormat === undefined || start === undefined) return;
      return { kind, column, format: elapsedFormat, start };
    }
  }
}

function readColumnTime(
  object: Record<string, unknown>,
  path: string,
  format: FormatSpec,
  issues: IssueList,
): TimeSpec | undefined {
  const column = readColumnRef(object, "column", path, format, issues);
  const timestampFormat = readString(object, "format", path, issues);
  const timeZone = readOptionalString(object, "timeZone", path, issues);
  const lateFallBackUs = readLateFallBack(object, path, issues);
  if (timestampFormat === undefined) return undefined;

  const isEpoch = EPOCH_FORMATS.includes(timestampFormat);
  const isPattern = !isEpoch && timestampFormat !== "iso";
  if (isPattern) {
    const problem = checkPattern(timestampFormat);
    if (problem !== undefined) issues.add(childPath(path, "format"), problem);
  }
  if (isEpoch && timeZone !== undefined) {
    issues.add(childPath(path, "timeZone"), "has no effect on epoch timestamps; remove it");
  } else if (isPattern && timeZone === undefined) {
    issues.add(childPath(path, "timeZone"), 'is required for local times, e.g. "Europe/Rome"');
  }
  checkZone(timeZone, childPath(path, "timeZone"), issues);
  if (column === undefined) return undefined;
  return { kind: "column", column, format: timestampFormat, timeZone, lateFallBackUs };
}

function readDateAndTime(
  object: Record<string, unknown>,
  path: string,
  format: FormatSpec,
  issues: IssueList,
): TimeSpec | undefined {
  const dateColumn = readColumnRef(object, "dateColumn", path, format, issues);
  const timeColumn = readColumnRef(object, "timeColumn", path, format, issues);
  const dateFormat = readString(object, "dateFormat", path, issues);
  const timeFormat = readString(object, "timeFormat", path, issues);
  const timeZone = readString(object, "timeZone", path, issues);
  const lateFallBackUs = readLateFallBack(object, path, issues);
  checkZone(timeZone, childPath(path, "timeZone"), issues);
  if (dateFormat !== undefined && timeFormat !== undefined) {
    const problem = checkPattern(`${dateFormat} ${timeFormat}`);
    if (problem !== undefined) issues.add(childPath(path, "dateFormat"), problem);
  }
  if (!dateColumn || !timeColumn || !dateFormat || !timeFormat || !timeZone) return undefined;
  return {
    kind: "dateAndTime",
    dateColumn,
    dateFormat,
    timeColumn,
    timeFormat,
    timeZone,
    lateFallBackUs,
  };
}

function readLateFallBack(object: Record<string, unknown>, path: string, issues: IssueList) {
  const range = { min: 0, max: 180, fallback: 0 };
  const minutes = readInteger(object, "lateFallBackMinutes", path, issues, range) ?? 0;
  return minutes * US_PER_MINUTE;
}

function checkZone(timeZone: string | undefined, path: string, issues: IssueList): void {
  if (timeZone === undefined || loadZone(timeZone) !== undefined) return;
  issues.add(
    path,
    `unknown time zone ${describeJson(timeZone)}; expected an IANA name such as "Europe/Rome", "UTC" or a fixed offset such as "UTC+1"`,
  );
}

/** Checks that a preamble line reference lies within the skipped lines. */
function checkPreambleLine(
  line: number | undefined,
  path: string,
  format: FormatSpec,
  issues: IssueList,
) {
  if (line !== undefined && line > format.skipLines) {
    issues.add(
      path,
      `line ${line} is not in the preamble; set format.skipLines to at least ${line}`,
    );
  }
}

function readStart(
  value: unknown,
  path: string,
  format: FormatSpec,
  issues: IssueList,
): StartSpec | undefined {
  if (typeof value === "string") {
    const parsed = DateTime.fromISO(value, { zone: "utc" });
    if (!parsed.isValid || !/(?:Z|[+-]\d{2}:?\d{2})$/i.test(value)) {
      issues.add(
        path,
        `expected an ISO 8601 instant with an offset, e.g. "2012-01-01T00:00:00Z", found ${describeJson(value)}`,
      );
      return undefined;
    }
    return { kind: "fixed", epochUs: parsed.toMillis() * 1000 };
  }
  if (!isObject(value)) {
    issues.add(
      path,
      `expected an ISO 8601 instant or { "line", "field", "format" }, found ${describeJson(value)}`,
    );
    return undefined;
  }
  rejectUnknownKeys(value, ["line", "field", "format"], path, issues);
  const line = readInteger(value, "line", path, issues, { min: 1, max: 1000 });
  const field = readInteger(value, "field", path, issues, { min: 1, max: 1000, fallback: 1 });
  const startFormat = readChoice(
    value,
    "format",
    ["epochSeconds", "epochMillis", "iso"],
    path,
    issues,
  );
  checkPreambleLine(line, childPath(path, "line"), format, issues);
  if (line === undefined || field === undefined || startFormat === undefined) return undefined;
  return { kind: "line", line, field, format: startFormat };
}

function readRate(
  value: unknown,
  path: string,
  format: FormatSpec,
  issues: IssueList,
): RateSpec | undefined {
  if (typeof value === "number") {
    if (Number.isFinite(value) && value > 0) return { kind: "fixed", hz: value };
    issues.add(path, `expected a positive rate in hertz, found ${describeJson(value)}`);
    return undefined;
  }
  if (!isObject(value)) {
    issues.add(
      path,
      `expected a rate in hertz or { "line", "field" }, found ${describeJson(value)}`,
    );
    return undefined;
  }
  rejectUnknownKeys(value, ["line", "field"], path, issues);
  const line = readInteger(value, "line", path, issues, { min: 1, max: 1000 });
  const field = readInteger(value, "field", path, issues, { min: 1, max: 1000, fallback: 1 });
  checkPreambleLine(line, childPath(path, "line"), format, issues);
  if (line === undefined || field === undefined) return undefined;
  return { kind: "line", line, field };
}
