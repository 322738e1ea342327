/**
 * Inputs of the sync comparison: the readings each edge node writes, taken from the run's
 * workload, and the cloud's reads of device state, generated as dashboard sessions that walk
 * through areas in a mostly fixed route, so that the access sequence has structure a
 * predictor can learn.
 */
import type { SensorRecord } from "../framework/ingestion/record.js";
import type { RandomStream } from "./random.js";
import type { EdgeReading } from "./sync-run.js";

/** One cloud read of a device's state. */
export interface CloudRead {
  timeUs: number;
  edge: number;
  deviceId: string;
}

/**
 * Returns the readings whose arrival time is before `durationUs`, each written by edge
 * `edgeOf(deviceId)` at its arrival time. Missing values are skipped.
 */
export function edgeReadings(
  records: readonly SensorRecord[],
  arrivalUs: Float64Array,
  durationUs: number,
  edgeOf: (deviceId: string) => number,
): EdgeReading[] {
  const readings: EdgeReading[] = [];
  for (let i = 0; i < records.length && arrivalUs[i] < durationUs; i++) {
    const { deviceId, value } = records[i];
    if (value === null) continue;
    readings.push({ timeUs: Math.round(arrivalUs[i]), edge: edgeOf(deviceId), deviceId, value });
  }
  return readings;
}

/** Settings of the dashboard read generator. */
export interface ReadPattern {
  /** Mean cloud reads per second over all edges. */
  readsPerSec: number;
  /** Devices a dashboard panel shows per area. */
  devicesPerPanel: number;
  /** Probability that a session moves to the next area on its route rather than jumping. */
  routeProbability: number;
  /** Panels per session before a new session starts at a random area. */
  panelsPerSession: number;
}

/**
 * Generates cloud reads in [0, durationUs): sessions show panels of `devicesPerPanel`
 * devices of one area in a fixed order, then move to the next area with probability
 * `routeProbability`, else to a random one.
 */
export function dashboardReads(
  readings: readonly EdgeReading[],
  edges: number,
  durationUs: number,
  pattern: ReadPattern,
  random: RandomStream,
): CloudRead[] {
  const panels = panelDevices(readings, edges, pattern.devicesPerPanel);
  const areas = panels.flatMap((devices, edge) => (devices.length > 0 ? [edge] : []));
  if (areas.length === 0 || pattern.readsPerSec <= 0) return [];

  const reads: CloudRead[] = [];
  const ratePerUs = pattern.readsPerSec / 1e6;
  let timeUs = random.exponential(ratePerUs);
  let area = areas[random.integer(0, areas.length - 1)];
  let panel = 0;
  while (timeUs < durationUs) {
    for (const deviceId of panels[area]) {
      if (timeUs >= durationUs) break;
      reads.push({ timeUs: Math.round(timeUs), edge: area, deviceId });
      timeUs += random.exponential(ratePerUs);
    }
    panel++;
    const isNewSession = panel % pattern.panelsPerSession === 0;
    if (!isNewSession && random.uniform() < pattern.routeProbability) {
      area = areas[(areas.indexOf(area) + 1) % areas.length];
    } else {
      area = areas[random.integer(0, areas.length - 1)];
    }
  }
  return reads;
}

/** Returns, per edge, the first `count` devices to report there. */
function panelDevices(readings: readonly EdgeReading[], edges: number, count: number) {
  const panels: string[][] = Array.from({ length: edges }, () => []);
  for (const reading of readings) {
    const panel = panels[reading.edge];
    if (panel.length < count && !panel.includes(reading.deviceId)) panel.push(reading.deviceId);
  }
  return panels;
}

/**
 * Returns a function that adds a device's reading to its running mean and variance
 * (Welford's algorithm) and returns the reading's z-score against the earlier readings;
 * 0 for the first 8 readings of a device, too few for a stable estimate.
 */
export function runningZScore(): (deviceId: string, value: number) => number {
  const stats = new Map<string, { count: number; mean: number; m2: number }>();
  return (deviceId, value) => {
    let entry = stats.get(deviceId);
    if (entry === undefined) {
      entry = { count: 0, mean: 0, m2: 0 };
      stats.set(deviceId, entry);
    }
    const deviation = entry.count >= 8 ? Math.sqrt(entry.m2 / (entry.count - 1)) : 0;
    const z = deviation > 0 ? (value - entry.mean) / deviation : 0;

    entry.count++;
    const delta = value - entry.mean;
    entry.mean += delta / entry.count;
    entry.m2 += delta * (value - entry.mean);
    return z;
  };
}
