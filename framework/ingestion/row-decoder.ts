/**
 * Conversion of one parsed CSV row into sensor records: field-count check, device, event time,
 * values with missing-value markers, labels, and the per-series counters.
 */
import { basename, extname } from "node:path";
import { BadRowError } from "./bad-row.js";
import { ColumnIndex } from "./column-index.js";
import { parseDecimal } from "./decimal-text.js";
import type { TraceDescriptor } from "./descriptor.js";
import { resolveDescriptorColumns, type DescriptorColumns } from "./descriptor-columns.js";
import { MissingMarkers } from "./missing-markers.js";
import type { SensorRecord } from "./record.js";
import type { ReplayStats } from "./replay-stats.js";
import { RowClock, type FieldReader } from "./row-time.js";
import { SeriesTracker } from "./series-tracker.js";

/** Decodes the data rows of one file; one instance per file, rows in file order. */
export class RowDecoder {
  private readonly index: ColumnIndex;
  private readonly columns: DescriptorColumns;
  private readonly clock: RowClock;
  private readonly tracker: SeriesTracker;
  private readonly missing: MissingMarkers;
  /** Markers per long-format parameter: the global ones plus the parameter's own. */
  private readonly parameterMissing = new Map<string, MissingMarkers>();
  private readonly fixedDeviceId: string | undefined;
  private sampleIndex = 0;

  /**
   * @throws UserInputError when a referenced column is not in the header, or the preamble lacks
   *   the start time or sample rate
   */
  constructor(
    private readonly descriptor: TraceDescriptor,
    tracePath: string,
    preamble: string[][],
    header: string[] | undefined,
    private readonly stats: ReplayStats,
  ) {
    const { time, device, layout, format } = descriptor;
    this.index = new ColumnIndex(header);
    this.columns = resolveDescriptorColumns(descriptor, this.index, tracePath);
    this.clock = new RowClock(time, format, this.index, this.columns.time, preamble, tracePath);
    this.tracker = new SeriesTracker(stats);
    this.missing = new MissingMarkers(descriptor.missing, format.decimalSeparator);

    if (layout.kind === "long") {
      for (const [name, parameter] of layout.parameters) {
        const markers = [...descriptor.missing, ...parameter.missing];
        this.parameterMissing.set(name, new MissingMarkers(markers, format.decimalSeparator));
      }
    }
    const fileStem = basename(tracePath, extname(tracePath));
    this.fixedDeviceId =
      device.kind === "fixed" ? device.id.replaceAll("{fileStem}", fileStem) : undefined;
  }

  /**
   * Converts one data row into records, updating the counters only when the row is accepted.
   *
   * @throws BadRowError when the row is malformed
   */
  decode(fields: string[]): SensorRecord[] {
    const sampleIndex = this.sampleIndex++;
    const isShort = this.checkWidth(fields);
    const field: FieldReader = (i) => fields[i];

    const deviceId = this.deviceId(field);
    const time = this.clock.eventTime(field, deviceId, sampleIndex);
    const labels = this.readLabels(field);
    const records =
      this.columns.long === undefined
        ? this.readWide(field, deviceId, time.epochUs)
        : this.readLong(field, deviceId, time.epochUs);
    if (records === undefined) {
      this.stats.rowsExcluded += 1;
      return [];
    }

    // The row is accepted: commit its time and count what it contained.
    this.clock.commit(deviceId, time.epochUs);
    if (isShort) this.stats.shortRows += 1;
    if (time.kind === "ambiguous") this.stats.dstAmbiguousRows += 1;
    if (time.kind === "nonexistent") this.stats.dstNonexistentRows += 1;
    for (const record of records) {
      if (labels !== undefined) record.labels = labels;
      if (record.value === null) this.stats.missingValues += 1;
      this.tracker.observe(record.deviceId, record.metric, record.eventTimeUs);
    }
    this.stats.recordsEmitted += records.length;
    return records;
  }

  /** Returns whether the row is short; throws when its width is not allowed. */
  private checkWidth(fields: string[]): boolean {
    const headerWidth = this.index.width;
    const expected = headerWidth ?? this.columns.requiredWidth;
    if (headerWidth !== undefined && fields.length > headerWidth) {
      throw new BadRowError(
        `expected ${headerWidth} fields as in the header, found ${fields.length}`,
      );
    }
    if (fields.length >= expected) return false;
    if (!this.descriptor.format.allowShortRows) {
      const quantity = headerWidth === undefined ? `at least ${expected}` : `${expected}`;
      throw new BadRowError(`expected ${quantity} fields, found ${fields.length}`);
    }
    return true;
  }

  private deviceId(field: FieldReader): string {
    if (this.fixedDeviceId !== undefined) return this.fixedDeviceId;
    const column = this.columns.device as number;
    const id = field(column)?.trim();
    if (id === undefined || id === "") {
      throw new BadRowError(`${this.index.label(column)}: device id is empty or absent`);
    }
    return id;
  }

  /** Reads a number, null for a missing marker or an absent field; throws on other text. */
  private readNumber(field: FieldReader, column: number, markers: MissingMarkers): number | null {
    const raw = field(column);
    if (raw === undefined) return null;
    const text = raw.trim();
    if (markers.matches(text)) return null;
    const value = parseDecimal(text, this.descriptor.format.decimalSeparator);
    if (value === undefined) {
      throw new BadRowError(
        `${this.index.label(column)}: value "${raw}" is not a number or a missing-value marker`,
      );
    }
    return value;
  }

  private readLabels(field: FieldReader): Record<string, number | null> | undefined {
    if (this.columns.labels.length === 0) return undefined;
    const labels: Record<string, number | null> = {};
    for (const { name, index } of this.columns.labels) {
      labels[name] = this.readNumber(field, index, this.missing);
    }
    return labels;
  }

  private readWide(field: FieldReader, deviceId: string, eventTimeUs: number): SensorRecord[] {
    return this.columns.values.map(({ name, index }) => ({
      deviceId,
      metric: name,
      eventTimeUs,
      value: this.readNumber(field, index, this.missing),
    }));
  }

  /** Returns the row's one record, or undefined when its parameter is excluded. */
  private readLong(
    field: FieldReader,
    deviceId: string,
    eventTimeUs: number,
  ): SensorRecord[] | undefined {
    const columns = this.columns.long!;
    const parameter = field(columns.parameter)?.trim() ?? "";
    const layout = this.descriptor.layout;
    if (layout.kind === "long" && layout.exclude.includes(parameter)) return undefined;

    const markers = this.parameterMissing.get(parameter);
    if (markers === undefined) {
      throw new BadRowError(
        `${this.index.label(columns.parameter)}: parameter "${parameter}" is neither in long.parameters nor in long.exclude`,
      );
    }
    const value = this.readNumber(field, columns.value, markers);
    return [{ deviceId, metric: parameter, eventTimeUs, value }];
  }
}
