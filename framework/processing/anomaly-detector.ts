/**
 * Online per-series anomaly detection on reading values, with two scores to choose from: the
 * modified z-score over a rolling window, or the residual of an exponentially weighted moving
 * average scaled by an exponentially weighted standard deviation.
 */

import type { SensorRecord } from "../ingestion/record.js";
import {
  formatValue,
  integerIssue,
  positiveNumberIssue,
  throwIfAnyIssue,
} from "./option-checks.js";
import { RollingMedianWindow } from "./rolling-median.js";

/** Scoring method of an anomaly detector. */
export type AnomalyMethod = "robust-z" | "ewma";

/** Every accepted `AnomalyMethod`, in the order error messages list them. */
export const ANOMALY_METHODS: readonly AnomalyMethod[] = ["robust-z", "ewma"];

/** Options of an anomaly detector. */
export interface AnomalyDetectorOptions {
  /** Scoring method. */
  method: AnomalyMethod;
  /**
   * A value is an anomaly when the absolute score exceeds this; Iglewicz and Hoaglin
   * recommend 3.5 for the modified z-score. A finite number above 0.
   */
  threshold: number;
  /**
   * For `robust-z`, the number of previous values in the rolling window; for `ewma`, the span
   * w that sets the smoothing weight lambda = 2 / (w + 1). An integer of at least 2.
   */
  windowSize: number;
  /** Number of previous values a series needs before its values are scored; at least 1. */
  warmup: number;
}

/** A value whose score exceeded the threshold. */
export interface AnomalyEvent {
  deviceId: string;
  metric: string;
  /** Event time of the reading, in µs since the Unix epoch. */
  eventTimeUs: number;
  value: number;
  /**
   * Signed score of the value against its series' history; ±Infinity when the history had
   * no spread at all and the value differs from it.
   */
  score: number;
}

/** Cumulative counts of an anomaly detector. */
export interface AnomalyDetectorStats {
  /** Records passed to `observe`. */
  recordsIn: number;
  /** Records skipped because their value was missing or not finite. */
  missing: number;
  /** Values scored, that is, seen after their series' warm-up. */
  scored: number;
  /** Anomaly events returned. */
  anomalies: number;
  /** Distinct (device, metric) series seen. */
  series: number;
}

/** History of one series, which scores a value against itself and then absorbs it. */
export interface SeriesScorer {
  /** Signed score of `value` against the history, before the value is added. */
  score(value: number): number;
  /** Adds `value` to the history. */
  update(value: number): void;
}

// sqrt(pi / 2): for a normal distribution, sigma = sqrt(pi / 2) * E|X - mu|.
const SIGMA_PER_MEAN_ABSOLUTE_DEVIATION = 1.2533141373155003;

/**
 * Modified z-score M = 0.6745 (x - median) / MAD over the previous `windowSize` values
 * (Iglewicz and Hoaglin, "How to Detect and Handle Outliers", 1993). The constant 0.6745 is
 * the 0.75 quantile of the standard normal, so M is on the scale of an ordinary z-score.
 * When more than half the window has one value, MAD is 0 and M is undefined. The score then
 * divides by sqrt(pi / 2) times the mean absolute deviation around the median, which
 * estimates the same sigma. It is ±Infinity only when every value in the window is equal.
 */
class RobustZScorer implements SeriesScorer {
  private readonly window: RollingMedianWindow;

  constructor(windowSize: number) {
    this.window = new RollingMedianWindow(windowSize);
  }

  score(value: number): number {
    const deviation = value - this.window.median();
    if (deviation === 0) {
      return 0;
    }
    const mad = this.window.medianAbsoluteDeviation();
    if (mad > 0) {
      return (0.6745 * deviation) / mad;
    }
    const sigma = SIGMA_PER_MEAN_ABSOLUTE_DEVIATION * this.window.meanAbsoluteDeviation();
    return sigma > 0 ? deviation / sigma : Math.sign(deviation) * Number.POSITIVE_INFINITY;
  }

  update(value: number): void {
    this.window.push(value);
  }
}

/**
 * EWMA residual score r / s. Here r = x - mu is the residual against the exponentially
 * weighted moving average mu_t = lambda x_t + (1 - lambda) mu_(t-1), the EWMA statistic of the
 * NIST/SEMATECH e-Handbook of Statistical Methods ("EWMA Control Charts"). s^2 is the
 * exponentially weighted variance s^2_t = (1 - lambda) (s^2_(t-1) + lambda r_t^2) from
 * T. Finch, "Incremental calculation of weighted mean and variance" (2009). The first value
 * seeds mu with a variance of 0. The score is ±Infinity when s is 0 and the value differs
 * from mu.
 */
class EwmaScorer implements SeriesScorer {
  private mean = 0;
  private variance = 0;
  private isSeeded = false;

  constructor(private readonly lambda: number) {}

  score(value: number): number {
    const residual = value - this.mean;
    if (residual === 0) {
      return 0;
    }
    const deviation = Math.sqrt(this.variance);
    return deviation > 0 ? residual / deviation : Math.sign(residual) * Number.POSITIVE_INFINITY;
  }

  update(value: number): void {
    if (!this.isSeeded) {
      this.mean = value;
      this.isSeeded = true;
      return;
    }
    const residual = value - this.mean;
    const increment = this.lambda * residual;
    this.mean += increment;
    this.variance = (1 - this.lambda) * (this.variance + residual * increment);
  }
}

/**
 * Scorer and count of values seen for one (device, metric) series. The scorer is created with
 * the series' first value, so a series whose values are all missing has no history.
 */
export class DetectorSeries {
  /** History of the series; null until its first value. */
  scorer: SeriesScorer | null = null;
  /** Number of values the series has absorbed. */
  valuesSeen = 0;
}

/**
 * Scores each reading against the history of its (device, metric) series, in the order the
 * readings are observed, and reports values whose absolute score exceeds the threshold. Each
 * value joins its series' history after it is scored, anomalous or not. Missing values are
 * counted and skipped. Work per value is O(1) for `ewma`. For `robust-z` it is O(log w) plus
 * a block move of at most w doubles, and O(w) when the window's MAD is 0. Memory per series
 * is two arrays of w doubles for `robust-z` and a few numbers for `ewma`.
 */
export class AnomalyDetector {
  readonly options: Readonly<AnomalyDetectorOptions>;
  private readonly series = new Map<string, Map<string, DetectorSeries>>();
  private readonly counters: AnomalyDetectorStats = {
    recordsIn: 0,
    missing: 0,
    scored: 0,
    anomalies: 0,
    series: 0,
  };

  /** @throws UserInputError when an option is out of range or the method is unknown */
  constructor(options: AnomalyDetectorOptions) {
    throwIfAnyIssue("anomaly detector options", anomalyOptionIssues(options, ""));
    this.options = { ...options };
  }

  /**
   * Scores the record's value against its series' history, adds it to that history and
   * returns an event when the absolute score exceeds the threshold, otherwise null.
   */
  observe(record: SensorRecord): AnomalyEvent | null {
    return this.observeInSeries(this.seriesOf(record.deviceId, record.metric), record);
  }

  /**
   * Does what `observe` does, for a record whose series the caller has looked up with
   * `seriesOf`. A caller that sees the same series often saves a lookup per record this way.
   */
  observeInSeries(series: DetectorSeries, record: SensorRecord): AnomalyEvent | null {
    this.counters.recordsIn += 1;
    const value = record.value;
    if (value === null || !Number.isFinite(value)) {
      this.counters.missing += 1;
      return null;
    }

    let scorer = series.scorer;
    if (scorer === null) {
      scorer = this.createScorer();
      series.scorer = scorer;
      this.counters.series += 1;
    }
    let event: AnomalyEvent | null = null;
    if (series.valuesSeen >= this.options.warmup) {
      this.counters.scored += 1;
      const score = scorer.score(value);
      if (Math.abs(score) > this.options.threshold) {
        this.counters.anomalies += 1;
        event = {
          deviceId: record.deviceId,
          metric: record.metric,
          eventTimeUs: record.eventTimeUs,
          value,
          score,
        };
      }
    }
    scorer.update(value);
    series.valuesSeen += 1;
    return event;
  }

  /** Returns a copy of the cumulative counters. */
  stats(): AnomalyDetectorStats {
    return { ...this.counters };
  }

  /** Returns the history of one series for `observeInSeries`, creating it if absent. */
  seriesOf(deviceId: string, metric: string): DetectorSeries {
    let byMetric = this.series.get(deviceId);
    if (byMetric === undefined) {
      byMetric = new Map();
      this.series.set(deviceId, byMetric);
    }
    let series = byMetric.get(metric);
    if (series === undefined) {
      series = new DetectorSeries();
      byMetric.set(metric, series);
    }
    return series;
  }

  private createScorer(): SeriesScorer {
    const { method, windowSize } = this.options;
    return method === "robust-z"
      ? new RobustZScorer(windowSize)
      : new EwmaScorer(2 / (windowSize + 1));
  }
}

/**
 * Lists the problems of anomaly detector options, each prefixed by `pathPrefix` (for example
 * `"anomaly."`), or returns an empty list.
 */
export function anomalyOptionIssues(options: AnomalyDetectorOptions, pathPrefix: string): string[] {
  const methodList = ANOMALY_METHODS.map((method) => `"${method}"`).join(", ");
  const issues = [
    ANOMALY_METHODS.includes(options.method)
      ? null
      : `${pathPrefix}method is ${formatValue(options.method)}: expected one of ${methodList}`,
    positiveNumberIssue(`${pathPrefix}threshold`, options.threshold),
    integerIssue(`${pathPrefix}windowSize`, options.windowSize, 2),
    integerIssue(`${pathPrefix}warmup`, options.warmup, 1),
  ];
  return issues.filter((issue): issue is string => issue !== null);
}
