/**
 * The metrics recorder of one policy run: per-record end-to-end latency and per-interval load,
 * backlog, executors, cost and latency percentiles.
 */
import { quantileSorted } from "simple-statistics";

/** One row of the per-interval time series. */
export interface IntervalMetrics {
  /** Start of the interval, in microseconds of simulated time. */
  startUs: number;
  /** Records that reached the ingestion queue in the interval. */
  arrivals: number;
  /** Records arrived and not finished at the end of the interval. */
  backlog: number;
  executorsRunning: number;
  executorsPending: number;
  /** Cost accrued in the interval, in USD. */
  costUsd: number;
  /** Latency percentiles of records finished in the interval, in microseconds; null when none. */
  latencyP50Us: number | null;
  latencyP95Us: number | null;
  latencyP99Us: number | null;
}

/** Latency percentiles of a sorted sample, in the sample's unit; null for an empty sample. */
export interface Percentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** Returns the 50th, 95th and 99th percentiles of an ascending sample. */
export function percentilesOfSorted(sorted: ArrayLike<number>): Percentiles {
  if (sorted.length === 0) return { p50: null, p95: null, p99: null };
  const values = sorted as unknown as number[];
  return {
    p50: quantileSorted(values, 0.5),
    p95: quantileSorted(values, 0.95),
    p99: quantileSorted(values, 0.99),
  };
}

/** Collects latencies and interval rows as a run proceeds. */
export class MetricsRecorder {
  /** End-to-end latency of each finished record, in microseconds, in completion order. */
  readonly latenciesUs: Float64Array;
  private finished = 0;
  private intervalLatencies: number[] = [];
  private decisionLatencies: number[] = [];
  readonly intervals: IntervalMetrics[] = [];

  constructor(totalRecords: number) {
    this.latenciesUs = new Float64Array(totalRecords);
  }

  /** Number of records finished so far. */
  get finishedCount(): number {
    return this.finished;
  }

  /** Records one finished record's end-to-end latency, in microseconds. */
  recordLatency(latencyUs: number): void {
    this.latenciesUs[this.finished++] = latencyUs;
    this.intervalLatencies.push(latencyUs);
    this.decisionLatencies.push(latencyUs);
  }

  /** Closes the current reporting interval and appends its row. */
  closeInterval(
    row: Omit<IntervalMetrics, "latencyP50Us" | "latencyP95Us" | "latencyP99Us">,
  ): void {
    const percentiles = percentilesOfSorted(Float64Array.from(this.intervalLatencies).sort());
    this.intervalLatencies = [];
    this.intervals.push({
      ...row,
      latencyP50Us: percentiles.p50,
      latencyP95Us: percentiles.p95,
      latencyP99Us: percentiles.p99,
    });
  }

  /** Returns the percentiles of records finished since the previous call, for allocators. */
  takeDecisionPercentiles(): Percentiles {
    const percentiles = percentilesOfSorted(Float64Array.from(this.decisionLatencies).sort());
    this.decisionLatencies = [];
    return percentiles;
  }

  /** Returns the latencies of all finished records, sorted ascending. */
  sortedLatencies(): Float64Array {
    return this.latenciesUs.slice(0, this.finished).sort();
  }
}
