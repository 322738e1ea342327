/**
 * The input of a run, built once and shared by every policy so all of them see the same
 * records arriving at the same instants.
 */
import type { SensorRecord } from "../framework/ingestion/record.js";

/** Records in the order they reach the cloud ingestion queue. */
export interface Workload {
  /** The records, sorted by `arrivalUs` (ties in emission order). */
  records: readonly SensorRecord[];
  /** Arrival time of each record at the ingestion queue, in microseconds of simulated time. */
  arrivalUs: Float64Array;
  /** Unix time of simulated time 0, in microseconds; event time minus this is simulated time. */
  epochUs: number;
  /** Length of the replayed span, in microseconds of simulated time. */
  durationUs: number;
}

/** Returns how many records of `workload` have arrived at or before `timeUs` (binary search). */
export function arrivedBy(workload: Workload, timeUs: number): number {
  const arrivals = workload.arrivalUs;
  let low = 0;
  let high = arrivals.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (arrivals[mid] <= timeUs) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Returns the arrival rate per second in each consecutive interval of `intervalUs`. */
export function arrivalRates(workload: Workload, intervalUs: number): Float64Array {
  const intervals = Math.ceil(workload.durationUs / intervalUs);
  const rates = new Float64Array(intervals);
  for (const arrival of workload.arrivalUs) {
    const index = Math.floor(arrival / intervalUs);
    if (index < intervals) rates[index]++;
  }
  const seconds = intervalUs / 1e6;
  for (let i = 0; i < intervals; i++) rates[i] /= seconds;
  return rates;
}
