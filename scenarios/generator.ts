/**
 * The calibrated synthetic generator: the default input of every scenario, so a run needs no
 * external files. Each virtual device of a kind reports every series of that kind periodically
 * at the calibrated rate for the hour of day, with a random phase and a small jitter; values
 * follow the calibrated hourly mean plus a residual drawn from the calibrated quantiles, and a
 * calibrated share of readings is missing.
 */
import { DateTime } from "luxon";
import { MinHeap } from "../framework/ingestion/min-heap.js";
import type { SensorRecord } from "../framework/ingestion/record.js";
import type { RandomStream } from "../sim/random.js";
import { QUANTILE_LEVELS, type KindCalibration, type SeriesProfile } from "./calibration.js";

const HOUR_US = 3_600_000_000;
const DAY_US = 24 * HOUR_US;

/** Jitter of each reporting interval, as a share of the interval (uniform in plus or minus). */
const INTERVAL_JITTER = 0.05;

/** A device kind and how many virtual devices the generator gives it. */
export interface GeneratedKind {
  calibration: KindCalibration;
  devices: number;
}

interface SeriesCursor {
  nextUs: number;
  order: number;
  deviceId: string;
  profile: SeriesProfile;
  fallbackMean: number;
  /** UTC offset of the kind's time zone at the start of the run, in microseconds. */
  offsetUs: number;
}

/**
 * Yields records in event-time order from `startUs` (Unix microseconds) for `durationUs`.
 * Ties in time come out in a fixed order, so a seed fixes the whole stream.
 */
export function* generateRecords(
  kinds: readonly GeneratedKind[],
  startUs: number,
  durationUs: number,
  random: RandomStream,
): Generator<SensorRecord> {
  const endUs = startUs + durationUs;
  const heap = new MinHeap<SeriesCursor>((a, b) => a.nextUs - b.nextUs || a.order - b.order);
  let order = 0;

  for (const { calibration, devices } of kinds) {
    const offsetUs = utcOffsetUs(calibration.timeZone, startUs);
    for (let device = 0; device < devices; device++) {
      for (const profile of calibration.series) {
        const cursor: SeriesCursor = {
          nextUs: startUs,
          order: order++,
          deviceId: `${calibration.kind}-${device}`,
          profile,
          fallbackMean: meanOfHours(profile.hourlyMean),
          offsetUs,
        };
        // A random phase within the first interval keeps devices from reporting in lockstep.
        const firstUs = nextReportUs(profile, startUs, offsetUs, random.uniform());
        if (firstUs !== null && firstUs < endUs) {
          cursor.nextUs = firstUs;
          heap.push(cursor);
        }
      }
    }
  }

  for (let cursor = heap.pop(); cursor !== undefined; cursor = heap.pop()) {
    const { profile, offsetUs } = cursor;
    yield {
      deviceId: cursor.deviceId,
      metric: profile.metric,
      eventTimeUs: cursor.nextUs,
      value: drawValue(profile, cursor, random),
    };
    const jitter = 1 + INTERVAL_JITTER * (2 * random.uniform() - 1);
    const nextUs = nextReportUs(profile, cursor.nextUs, offsetUs, jitter);
    if (nextUs !== null && nextUs < endUs) {
      cursor.nextUs = nextUs;
      heap.push(cursor);
    }
  }
}

/**
 * Returns the next report time after `fromUs`: one reporting interval for the local hour,
 * scaled by `fraction`; an hour with no readings skips to the next hour that has some.
 * Returns null when the series never reports.
 */
function nextReportUs(
  profile: SeriesProfile,
  fromUs: number,
  offsetUs: number,
  fraction: number,
): number | null {
  let timeUs = fromUs;
  for (let skipped = 0; skipped <= 24; skipped++) {
    const hour = localHour(timeUs, offsetUs);
    const perHour = profile.readingsPerHour[hour];
    if (perHour > 0) return timeUs + Math.max(1, Math.round((fraction * HOUR_US) / perHour));
    timeUs = (Math.floor((timeUs + offsetUs) / HOUR_US) + 1) * HOUR_US - offsetUs;
  }
  return null;
}

function drawValue(
  profile: SeriesProfile,
  cursor: SeriesCursor,
  random: RandomStream,
): number | null {
  if (random.uniform() < profile.missingShare) return null;
  const hour = localHour(cursor.nextUs, cursor.offsetUs);
  const mean = profile.hourlyMean[hour] ?? cursor.fallbackMean;
  return mean + interpolateQuantile(profile.residualQuantiles, random.uniform());
}

/** Inverts a piecewise-linear CDF given by quantiles at `QUANTILE_LEVELS`. */
function interpolateQuantile(quantiles: readonly number[], u: number): number {
  const position = u * (QUANTILE_LEVELS.length - 1);
  const index = Math.min(Math.floor(position), QUANTILE_LEVELS.length - 2);
  const weight = position - index;
  return quantiles[index] + weight * (quantiles[index + 1] - quantiles[index]);
}

function localHour(timeUs: number, offsetUs: number): number {
  const dayUs = (((timeUs + offsetUs) % DAY_US) + DAY_US) % DAY_US;
  return Math.floor(dayUs / HOUR_US);
}

function meanOfHours(hourlyMean: readonly (number | null)[]): number {
  const known = hourlyMean.filter((value): value is number => value !== null);
  return known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 0;
}

/**
 * Returns the UTC offset of `zone` at `atUs`, in microseconds.
 * NOTE: the generator keeps the offset of the run's start, so a run crossing a DST change
 * shifts its diurnal profile by an hour after the change.
 */
export function utcOffsetUs(zone: string, atUs: number): number {
  const offsetMinutes = DateTime.fromMillis(Math.floor(atUs / 1000), { zone }).offset;
  return offsetMinutes * 60_000_000;
}
