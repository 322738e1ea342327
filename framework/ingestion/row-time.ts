/**
 * Event times of data rows, for each kind of `time` section: a timestamp column, separate date
 * and time columns, a start plus sample rate, or elapsed time since a start.
 */
import type { Zone } from "luxon";
import { UserInputError } from "../runtime/user-input-error.js";
import { BadRowError } from "./bad-row.js";
import type { ColumnIndex } from "./column-index.js";
import { parseDecimal } from "./decimal-text.js";
import type { FormatSpec, RateSpec, StartSpec, TimeSpec } from "./descriptor.js";
import { loadZone, resolveLocalTime, type LocalTimeKind } from "./local-time.js";
import { parseElapsedUs, parseTimestamp } from "./time-format.js";

/** Event time of one row and how its local time related to daylight-saving changes. */
export interface RowTime {
  epochUs: number;
  kind: LocalTimeKind;
}

/** Reads a field, or undefined when the row is too short to have it. */
export type FieldReader = (index: number) => string | undefined;

/** Computes event times for the rows of one file. */
export class RowClock {
  private readonly zone: Zone | undefined;
  private readonly columns: number[];
  private readonly startUs: number;
  private readonly rateHz: number;
  /** Instant of each device's previous row, which decides repeated local times. */
  private readonly previousByDevice = new Map<string, number>();

  constructor(
    private readonly time: TimeSpec,
    private readonly format: FormatSpec,
    private readonly index: ColumnIndex,
    resolvedColumns: number[],
    preamble: string[][],
    tracePath: string,
  ) {
    this.columns = resolvedColumns;
    const zoneName = "timeZone" in time ? time.timeZone : undefined;
    this.zone = zoneName === undefined ? undefined : loadZone(zoneName);
    const hasStart = time.kind === "sampled" || time.kind === "elapsed";
    this.startUs = hasStart ? readStartUs(time.start, preamble, format, tracePath) : 0;
    this.rateHz = time.kind === "sampled" ? readRateHz(time.rate, preamble, format, tracePath) : 0;
  }

  /**
   * Returns the event time of a row; `sampleIndex` counts data rows from 0.
   *
   * @throws BadRowError when the time field is absent or does not match its format
   */
  eventTime(field: FieldReader, deviceId: string, sampleIndex: number): RowTime {
    const time = this.time;
    switch (time.kind) {
      case "sampled":
        return {
          epochUs: this.startUs + Math.round((sampleIndex * 1e6) / this.rateHz),
          kind: "regular",
        };
      case "elapsed": {
        const text = this.requireField(field, this.columns[0]);
        const elapsedUs = parseElapsedUs(text, time.format, this.format.decimalSeparator);
        if (elapsedUs === undefined) {
          throw this.mismatch(this.index.label(this.columns[0]), text, time.format);
        }
        return { epochUs: this.startUs + elapsedUs, kind: "regular" };
      }
      case "column": {
        const text = this.requireField(field, this.columns[0]);
        const label = this.index.label(this.columns[0]);
        return this.place(text, time.format, label, deviceId, time.lateFallBackUs);
      }
      case "dateAndTime": {
        const date = this.requireField(field, this.columns[0]).trim();
        const clock = this.requireField(field, this.columns[1]).trim();
        const pattern = `${time.dateFormat} ${time.timeFormat}`;
        const label = `${this.index.label(this.columns[0])} and ${this.index.label(this.columns[1])}`;
        return this.place(`${date} ${clock}`, pattern, label, deviceId, time.lateFallBackUs);
      }
    }
  }

  /** Remembers an accepted row's instant for the next repeated-hour decision. */
  commit(deviceId: string, epochUs: number): void {
    this.previousByDevice.set(deviceId, epochUs);
  }

  private place(
    text: string,
    format: string,
    columnLabel: string,
    deviceId: string,
    lateFallBackUs: number,
  ): RowTime {
    const parsed = parseTimestamp(text, format, this.format.decimalSeparator);
    if (parsed === undefined) throw this.mismatch(columnLabel, text, format);
    if (parsed.kind === "instant") return { epochUs: parsed.epochUs, kind: "regular" };
    if (this.zone === undefined) {
      throw new BadRowError(
        `${columnLabel}: value "${text}" has no UTC offset and the descriptor sets no time.timeZone`,
      );
    }
    const previousUs = this.previousByDevice.get(deviceId);
    return resolveLocalTime(parsed.wallUs, this.zone, previousUs, lateFallBackUs);
  }

  private requireField(field: FieldReader, column: number): string {
    const text = field(column);
    if (text === undefined || text.trim() === "") {
      throw new BadRowError(`${this.index.label(column)}: time field is empty or absent`);
    }
    return text;
  }

  private mismatch(columnLabel: string, text: string, format: string): BadRowError {
    return new BadRowError(
      `${columnLabel}: value "${text}" does not match time format "${format}"`,
    );
  }
}

function preambleField(
  preamble: string[][],
  line: number,
  field: number,
  tracePath: string,
): string {
  const text = preamble[line - 1]?.[field - 1]?.trim();
  if (text === undefined || text === "") {
    throw new UserInputError(
      `invalid preamble in trace "${tracePath}" line ${line}: field ${field} is empty or absent`,
    );
  }
  return text;
}

function readStartUs(
  start: StartSpec,
  preamble: string[][],
  format: FormatSpec,
  tracePath: string,
) {
  if (start.kind === "fixed") return start.epochUs;
  const text = preambleField(preamble, start.line, start.field, tracePath);
  const parsed = parseTimestamp(text, start.format, format.decimalSeparator);
  if (parsed?.kind !== "instant") {
    const expected =
      start.format === "iso"
        ? "an ISO 8601 instant with a UTC offset"
        : `in format ${start.format}`;
    throw new UserInputError(
      `invalid preamble in trace "${tracePath}" line ${start.line}, field ${start.field}: start time "${text}" is not ${expected}`,
    );
  }
  return parsed.epochUs;
}

function readRateHz(rate: RateSpec, preamble: string[][], format: FormatSpec, tracePath: string) {
  if (rate.kind === "fixed") return rate.hz;
  const text = preambleField(preamble, rate.line, rate.field, tracePath);
  const hz = parseDecimal(text, format.decimalSeparator);
  if (hz === undefined || hz <= 0) {
    throw new UserInputError(
      `invalid preamble in trace "${tracePath}" line ${rate.line}, field ${rate.field}: sample rate "${text}" is not a positive number of hertz`,
    );
  }
  return hz;
}
