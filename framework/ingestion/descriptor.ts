/**
 * The trace descriptor: a small JSON document that describes the layout of a sensor file
 * (delimiter, header, time, device, value columns and units, missing-value markers).
 * `parseDescriptor` validates one and reports every problem at once.
 */
import { readFile } from "node:fs/promises";
import { UserInputError } from "../runtime/user-input-error.js";
import type { DecimalSeparator } from "./decimal-text.js";
import {
  IssueList,
  readObject,
  readOptionalString,
  readStringArray,
  rejectUnknownKeys,
} from "./json-fields.js";
import { readFormat } from "./descriptor-format.js";
import { readTime } from "./descriptor-time.js";
import { readDevice, readLabels, readLayout } from "./descriptor-series.js";
import type { ElapsedFormat, TimestampFormat } from "./time-format.js";

/**
 * A column, by header name or by 1-based position. Names match after trimming whitespace and a
 * UTF-8 BOM; when a name occurs more than once, `"name#2"` selects its second occurrence.
 */
export type ColumnRef = string | number;

/** Text layout of the file. */
export interface FormatSpec {
  /** Field separator; default `","`. */
  delimiter: string;
  /** Decimal separator inside numbers; default `"."`. */
  decimalSeparator: DecimalSeparator;
  /** Whether the first line after `skipLines` names the columns; default true. */
  hasHeader: boolean;
  /** Lines before the header (or before the first data row without a header); default 0. */
  skipLines: number;
  /** Whether empty lines are ignored; default true. */
  skipBlankLines: boolean;
  /** Whether rows made only of delimiters and whitespace, such as `,,,,`, are ignored; default false. */
  skipEmptyRows: boolean;
  /** Whole lines that are not data, compared after trimming, e.g. a trailer `NA,M,V,M,R`. */
  ignoreRows: string[];
  /** Lines starting with this text are ignored; none by default. */
  commentPrefix?: string;
  /** Whether a row with fewer fields than the header is read with the absent values missing. */
  allowShortRows: boolean;
}

/** A start instant: fixed in the descriptor, or read from a preamble line of the file. */
export type StartSpec =
  | { kind: "fixed"; epochUs: number }
  | {
      kind: "line";
      /** 1-based line number, within the skipped preamble. */
      line: number;
      /** 1-based field on that line; default 1. */
      field: number;
      format: "epochSeconds" | "epochMillis" | "iso";
    };

/** A sample rate in hertz: fixed, or read from a preamble line. */
export type RateSpec =
  { kind: "fixed"; hz: number } | { kind: "line"; line: number; field: number };

/** Source of event times. */
export type TimeSpec =
  | {
      /** A single timestamp column. */
      kind: "column";
      column: ColumnRef;
      format: TimestampFormat;
      /** Zone of local times; required for patterns and used by ISO text without an offset. */
      timeZone?: string;
      /** Logger fall-back delay, see `resolveLocalTime`; 0 when the logger follows the zone. */
      lateFallBackUs: number;
    }
  | {
      /** Date and time of day sit in two columns, joined with a space before parsing. */
      kind: "dateAndTime";
      dateColumn: ColumnRef;
      dateFormat: string;
      timeColumn: ColumnRef;
      timeFormat: string;
      timeZone: string;
      lateFallBackUs: number;
    }
  | {
      /** No time column: sample k (0-based, counting data rows) is at start + k / rate. */
      kind: "sampled";
      start: StartSpec;
      rate: RateSpec;
    }
  | {
      /** A column of time elapsed since `start`. */
      kind: "elapsed";
      column: ColumnRef;
      format: ElapsedFormat;
      start: StartSpec;
    };

/** Device identity of each row. */
export type DeviceSpec =
  /** One device per file; `{fileStem}` in the id is replaced by the file name without extension. */
  { kind: "fixed"; id: string } | { kind: "column"; column: ColumnRef };

/** One value column of a wide file. */
export interface ValueColumn {
  metric: string;
  column: ColumnRef;
  /** Unit of the values, or null where the source states none. */
  unit: string | null;
}

/** One parameter of a long-format file. */
export interface LongParameter {
  unit: string | null;
  /** Markers that mean missing for this parameter only, in addition to the global ones. */
  missing: string[];
}

/**
 * Layout of the values: wide, where each value column is a series of the row's device, or long,
 * where a parameter-name column sits beside a value column and each row is one reading.
 */
export type LayoutSpec =
  | { kind: "wide"; values: ValueColumn[] }
  | {
      kind: "long";
      parameterColumn: ColumnRef;
      valueColumn: ColumnRef;
      parameters: Map<string, LongParameter>;
      /** Parameters dropped without error, e.g. static descriptors that are not time series. */
      exclude: string[];
    };

/** A label column kept beside the values, such as an anomaly flag. */
export interface LabelColumn {
  name: string;
  column: ColumnRef;
}

/** A validated trace descriptor. */
export interface TraceDescriptor {
  /** Origin of the descriptor, usually its file path, quoted in messages. */
  source: string;
  notes?: string;
  format: FormatSpec;
  time: TimeSpec;
  device: DeviceSpec;
  layout: LayoutSpec;
  labels: LabelColumn[];
  /**
   * Field texts that mean "no value"; default `[""]`. A numeric marker also matches the same
   * number written differently, so `"-200"` matches `-200.0`.
   */
  missing: string[];
}

const TOP_LEVEL_KEYS = ["notes", "format", "time", "device", "values", "long", "labels", "missing"];

/**
 * Validates a descriptor read from JSON.
 *
 * @param json The parsed JSON document.
 * @param source Where it came from, usually a file path; quoted in messages.
 * @throws UserInputError listing every problem with its JSON path, separated by "; ".
 */
export function parseDescriptor(json: unknown, source: string): TraceDescriptor {
  const issues = new IssueList();
  const root = readObject(json, "", issues) ?? {};
  rejectUnknownKeys(root, TOP_LEVEL_KEYS, "", issues);

  const format = readFormat(root.format ?? {}, "format", issues);
  const time = readTime(root.time, "time", format, issues);
  const device = readDevice(root.device, "device", format, issues);
  const layout = readLayout(root, format, issues);
  const labels = readLabels(root.labels, "labels", format, issues);
  const missing = readStringArray(root, "missing", "", issues, [""]);
  const notes = readOptionalString(root, "notes", "", issues);

  if (issues.size > 0 || time === undefined || device === undefined || layout === undefined) {
    throw new UserInputError(`invalid trace descriptor "${source}": ${issues.issues.join("; ")}`);
  }
  return { source, notes, format, time, device, layout, labels, missing };
}

/**
 * Reads a descriptor file and validates it.
 *
 * @throws UserInputError when the file cannot be read, is not JSON or is not a valid descriptor
 */
export async function loadDescriptorFile(path: string): Promise<TraceDescriptor> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "file not found" : (error as Error).message;
    throw new UserInputError(`cannot read trace descriptor "${path}": ${reason}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserInputError(
      `invalid JSON in trace descriptor "${path}": ${(error as Error).message}`,
    );
  }
  return parseDescriptor(json, path);
}
