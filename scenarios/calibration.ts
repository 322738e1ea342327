/**
 * Calibration of a synthetic generator from a real trace: per series, the reporting rate by
 * hour of day, the missing-value share, the mean value by hour of day and the distribution of
 * values around that mean. The generator reproduces these figures; the calibration files in
 * scenarios/calibration/ are written by `npm run calibrate-generators` and name the trace they came from.
 */
import { DateTime } from "luxon";
import { quantileSorted } from "simple-statistics";
import type { SensorRecord } from "../framework/ingestion/record.js";

/** Quantile levels stored for each residual distribution: 0, 0.05, ..., 1. */
export const QUANTILE_LEVELS = Array.from({ length: 21 }, (_, i) => i / 20);

/** Calibrated profile of one metric of one device kind. */
export interface SeriesProfile {
  metric: string;
  /**
   * Readings per device per hour, by local hour of day (24 entries); hours the trace does not
   * cover hold the mean of the covered hours.
   */
  readingsPerHour: number[];
  /** Share of readings that are missing, in [0, 1]. */
  missingShare: number;
  /** Mean value by local hour of day (24 entries); null for an hour with no values. */
  hourlyMean: (number | null)[];
  /** Quantiles of value minus its hour's mean, at `QUANTILE_LEVELS`. */
  residualQuantiles: number[];
  /** Values observed, for reference. */
  valueCount: number;
  minValue: number;
  maxValue: number;
}

/** Calibration of one device kind from one trace file. */
export interface KindCalibration {
  kind: string;
  /** Trace file, relative to the traces folder, and its SHA-256. */
  source: { file: string; sha256: string };
  timeZone: string;
  /** Devices in the trace, so per-device rates divide correctly. */
  devicesInTrace: number;
  /**
   * Hours of the trace's span (first to last record) that fall in each local hour of day
   * (24 entries); gaps inside the span count, so a nightly silence lowers the night's rate.
   */
  hoursObserved: number[];
  series: SeriesProfile[];
}

interface SeriesAccumulator {
  readings: number[];
  missing: number;
  sums: number[];
  counts: number[];
  values: { hour: number; value: number }[];
}

/** Computes a kind's calibration from a trace's records (any order). */
export async function calibrate(
  kind: string,
  source: { file: string; sha256: string },
  timeZone: string,
  records: AsyncIterable<SensorRecord> | Iterable<SensorRecord>,
): Promise<KindCalibration> {
  const series = new Map<string, SeriesAccumulator>();
  const devices = new Set<string>();
  let firstUs = Number.POSITIVE_INFINITY;
  let lastUs = Number.NEGATIVE_INFINITY;

  for await (const record of records) {
    const local = DateTime.fromMillis(Math.floor(record.eventTimeUs / 1000), { zone: timeZone });
    const hour = local.hour;
    firstUs = Math.min(firstUs, record.eventTimeUs);
    lastUs = Math.max(lastUs, record.eventTimeUs);
    devices.add(record.deviceId);

    let accumulator = series.get(record.metric);
    if (accumulator === undefined) {
      accumulator = { readings: zeros(), missing: 0, sums: zeros(), counts: zeros(), values: [] };
      series.set(record.metric, accumulator);
    }
    accumulator.readings[hour]++;
    if (record.value === null) {
      accumulator.missing++;
      continue;
    }
    accumulator.sums[hour] += record.value;
    accumulator.counts[hour]++;
    accumulator.values.push({ hour, value: record.value });
  }

  const hoursObserved = exposureByHour(firstUs, lastUs, timeZone);
  const deviceCount = Math.max(1, devices.size);
  const profiles = [...series.entries()]
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([metric, accumulator]) => profileOf(metric, accumulator, hoursObserved, deviceCount));
  return { kind, source, timeZone, devicesInTrace: deviceCount, hoursObserved, series: profiles };
}

/** Returns, per local hour of day, how many hours of [firstUs, lastUs] fall in it. */
function exposureByHour(firstUs: number, lastUs: number, timeZone: string): number[] {
  const exposure = zeros();
  if (!(lastUs >= firstUs)) return exposure;
  const hourUs = 3_600_000_000;
  // Include the last reading's own interval by extending the span to the end of its second.
  const endUs = lastUs + 1_000_000;
  for (let startUs = Math.floor(firstUs / hourUs) * hourUs; startUs < endUs; startUs += hourUs) {
    const overlapUs = Math.min(endUs, startUs + hourUs) - Math.max(firstUs, startUs);
    const local = DateTime.fromMillis(startUs / 1000, { zone: timeZone });
    exposure[local.hour] += overlapUs / hourUs;
  }
  return exposure.map(round);
}

function profileOf(
  metric: string,
  accumulator: SeriesAccumulator,
  hoursObserved: number[],
  devices: number,
): SeriesProfile {
  const hourlyMean = accumulator.sums.map((sum, hour) =>
    accumulator.counts[hour] > 0 ? round(sum / accumulator.counts[hour]) : null,
  );
  const residuals = Float64Array.from(
    accumulator.values.map(({ hour, value }) => value - (hourlyMean[hour] ?? 0)),
  ).sort();
  const total = accumulator.readings.reduce((a, b) => a + b, 0);
  let minValue = Number.POSITIVE_INFINITY;
  let maxValue = Number.NEGATIVE_INFINITY;
  for (const { value } of accumulator.values) {
    minValue = Math.min(minValue, value);
    maxValue = Math.max(maxValue, value);
  }
  // Hours the trace never covers (a recording shorter than a day) take the mean observed rate.
  const observedRates = accumulator.readings
    .map((count, hour) => (hoursObserved[hour] > 0 ? count / hoursObserved[hour] / devices : null))
    .filter((rate): rate is number => rate !== null);
  const meanRate = observedRates.reduce((a, b) => a + b, 0) / Math.max(1, observedRates.length);
  return {
    metric,
    readingsPerHour: accumulator.readings.map((count, hour) =>
      round(hoursObserved[hour] > 0 ? count / hoursObserved[hour] / devices : meanRate),
    ),
    missingShare: total > 0 ? round(accumulator.missing / total) : 0,
    hourlyMean,
    residualQuantiles:
      residuals.length > 0
        ? QUANTILE_LEVELS.map((level) =>
            round(quantileSorted(residuals as unknown as number[], level)),
          )
        : QUANTILE_LEVELS.map(() => 0),
    valueCount: accumulator.values.length,
    minValue: accumulator.values.length > 0 ? minValue : 0,
    maxValue: accumulator.values.length > 0 ? maxValue : 0,
  };
}

/** Orders strings by UTF-16 code units, independent of the machine's locale. */
function compareCodeUnits(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function zeros(): number[] {
  return new Array<number>(24).fill(0);
}

/** Rounds to 6 significant digits so calibration files are stable and readable. */
function round(value: number): number {
  return Number(value.toPrecision(6));
}
