/**
 * Parsing of timestamp text into microseconds. A timestamp either names an instant (epoch
 * numbers, ISO 8601 with an offset) or a local wall-clock time that still needs a time zone.
 * `local-time.ts` turns local times into instants.
 */
import { DateTime } from "luxon";
import { parseFixedPoint, type DecimalSeparator } from "./decimal-text.js";

/**
 * Text format of a timestamp column: `"iso"` (ISO 8601, with or without an offset; a space may
 * replace the `T`), `"epochSeconds"`, `"epochMillis"`, or a luxon format pattern such as
 * `"dd/MM/yyyy HH:mm:ss"` (tokens: https://moment.github.io/luxon/#/parsing?id=table-of-tokens).
 * A pattern ending in `ss` also accepts a fraction of a second after it, kept to the microsecond.
 */
export type TimestampFormat = string;

/** Text format of an elapsed-time column. `hours:minutes` allows hours past 24, e.g. `47:37`. */
export type ElapsedFormat = "hours:minutes" | "hours:minutes:seconds" | "seconds" | "milliseconds";

/** Elapsed-time formats accepted by descriptors. */
export const elapsedFormats: readonly ElapsedFormat[] = [
  "hours:minutes",
  "hours:minutes:seconds",
  "seconds",
  "milliseconds",
];

/** A parsed timestamp: an instant, or a wall-clock time still to be placed in a time zone. */
export type ParsedTime =
  | { kind: "instant"; epochUs: number }
  /** `wallUs` reads the wall clock as if it were UTC, in microseconds since 1970-01-01T00:00. */
  | { kind: "local"; wallUs: number };

const US_PER_MS = 1000;
const US_PER_MINUTE = 60_000_000;
const US_PER_HOUR = 3_600_000_000;

// A sample instant with every field distinct, to check that a pattern reads back what it writes.
const PATTERN_PROBE = DateTime.fromISO("2001-02-03T04:05:06Z", { zone: "utc" });

/**
 * Checks a luxon pattern and returns a problem description, or undefined when the pattern
 * formats and parses back a full date and time. Patterns without a year, month and day are
 * rejected because luxon would fill in today's date.
 */
export function checkPattern(pattern: string): string | undefined {
  const unquoted = pattern.replace(/'[^']*'/g, "");
  if (/[YD]/.test(unquoted)) {
    return `pattern "${pattern}" uses "Y" or "D", which are not luxon date tokens; write the year as "yyyy" and the day as "dd"`;
  }
  const parsed = DateTime.fromFormat(PATTERN_PROBE.toFormat(pattern), pattern, { zone: "utc" });
  if (!parsed.isValid || parsed.toISODate() !== PATTERN_PROBE.toISODate()) {
    return `pattern "${pattern}" does not read back a full date (year, month and day)`;
  }
  return undefined;
}

/** Converts fraction digits after a decimal point into microseconds, truncating past 6 digits. */
function fractionToUs(digits: string): number {
  return Number(digits.padEnd(6, "0").slice(0, 6));
}

/** Parses text with a luxon pattern; a fraction after a trailing `ss` is accepted and kept. */
function parsePatternWallUs(text: string, pattern: string): number | undefined {
  const whole = DateTime.fromFormat(text, pattern, { zone: "utc" });
  if (whole.isValid) return whole.toMillis() * US_PER_MS;
  if (!pattern.endsWith("ss")) return undefined;

  const match = /^(.*\d)[.,](\d{1,9})$/.exec(text);
  if (match === null) return undefined;
  const seconds = DateTime.fromFormat(match[1], pattern, { zone: "utc" });
  if (!seconds.isValid) return undefined;
  return seconds.toMillis() * US_PER_MS + fractionToUs(match[2]);
}

/** Parses ISO 8601 text; an offset or `Z` makes it an instant, its absence a local time. */
function parseIso(text: string): ParsedTime | undefined {
  const withT = /^\d{4}-\d{2}-\d{2} \d/.test(text) ? text.replace(" ", "T") : text;
  const fraction = /^(.*T\d{2}:\d{2}:\d{2})[.,](\d{1,9})(.*)$/.exec(withT);
  const base = fraction === null ? withT : fraction[1] + fraction[3];
  const fractionUs = fraction === null ? 0 : fractionToUs(fraction[2]);

  const timePart = base.includes("T") ? base.slice(base.indexOf("T")) : "";
  const hasOffset = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(timePart);
  const parsed = DateTime.fromISO(base, { zone: "utc", setZone: false });
  if (!parsed.isValid) return undefined;

  const us = parsed.toMillis() * US_PER_MS + fractionUs;
  return hasOffset ? { kind: "instant", epochUs: us } : { kind: "local", wallUs: us };
}

/** Parses one timestamp field; undefined when the text does not match `format`. */
export function parseTimestamp(
  text: string,
  format: TimestampFormat,
  decimalSeparator: DecimalSeparator,
): ParsedTime | undefined {
  if (format === "epochSeconds" || format === "epochMillis") {
    const fractionDigits = format === "epochSeconds" ? 6 : 3;
    const epochUs = parseFixedPoint(text, fractionDigits, decimalSeparator);
    return epochUs === undefined ? undefined : { kind: "instant", epochUs };
  }
  if (format === "iso") return parseIso(text.trim());

  const wallUs = parsePatternWallUs(text.trim(), format);
  return wallUs === undefined ? undefined : { kind: "local", wallUs };
}

/** Parses an elapsed duration into microseconds; undefined when the text does not match. */
export function parseElapsedUs(
  text: string,
  format: ElapsedFormat,
  decimalSeparator: DecimalSeparator,
): number | undefined {
  const trimmed = text.trim();
  if (format === "seconds") return parseFixedPoint(trimmed, 6, decimalSeparator);
  if (format === "milliseconds") return parseFixedPoint(trimmed, 3, decimalSeparator);

  if (format === "hours:minutes") {
    const match = /^(\d+):([0-5]\d)$/.exec(trimmed);
    if (match === null) return undefined;
    return Number(match[1]) * US_PER_HOUR + Number(match[2]) * US_PER_MINUTE;
  }
  const match = /^(\d+):([0-5]\d):([0-5]\d)(?:[.,](\d{1,9}))?$/.exec(trimmed);
  if (match === null) return undefined;
  const wholeUs =
    Number(match[1]) * US_PER_HOUR + Number(match[2]) * US_PER_MINUTE + Number(match[3]) * 1e6;
  return wholeUs + (match[4] === undefined ? 0 : fractionToUs(match[4]));
}
