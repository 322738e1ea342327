/**
 * The plain, JSON-serialisable description of a processing pipeline that a scenario declares,
 * and its validation.
 */

import { UserInputError } from "../runtime/user-input-error.js";
import {
  anomalyOptionIssues,
  type AnomalyDetectorOptions,
  type AnomalyMethod,
} from "./anomaly-detector.js";
import { formatValue, integerIssue, throwIfAnyIssue } from "./option-checks.js";

/** Processing pipeline settings of a scenario. All durations are integer microseconds. */
export interface PipelineSpec {
  /** Tumbling window per device and metric. */
  deviceWindow: {
    /** Window length in µs. */
    sizeUs: number;
  };
  /** Sliding window per area and metric. */
  areaWindow: {
    /** Window length in µs. */
    sizeUs: number;
    /** Distance between window starts in µs, at most `sizeUs`. */
    slideUs: number;
  };
  /** How far the watermark trails the largest accepted event time, in µs. */
  allowedLatenessUs: number;
  /** How far ahead of processing time or the batch frontier an event time may lie, in µs. */
  maxFutureSkewUs: number;
  /** Per-series anomaly detector; see `AnomalyDetectorOptions` for each field. */
  anomaly: {
    method: AnomalyMethod;
    threshold: number;
    windowSize: number;
    warmup: number;
  };
}

/**
 * Checks a parsed spec and returns it typed. Every problem is gathered with its path before
 * reporting, for example `invalid pipeline spec: areaWindow.slideUs is 0: expected an integer
 * of at least 1; anomaly.method is "zscore": expected one of "robust-z", "ewma"`.
 *
 * @throws UserInputError listing every problem
 */
export function validatePipelineSpec(spec: unknown): PipelineSpec {
  if (!isRecord(spec)) {
    throw new UserInputError(`invalid pipeline spec: ${objectIssue("the spec", spec)}`);
  }
  const issues: (string | null)[] = [
    integerIssue("allowedLatenessUs", spec.allowedLatenessUs, 0),
    integerIssue("maxFutureSkewUs", spec.maxFutureSkewUs, 0),
  ];

  const deviceWindow = spec.deviceWindow;
  if (isRecord(deviceWindow)) {
    issues.push(integerIssue("deviceWindow.sizeUs", deviceWindow.sizeUs, 1));
  } else {
    issues.push(objectIssue("deviceWindow", deviceWindow));
  }

  const areaWindow = spec.areaWindow;
  if (isRecord(areaWindow)) {
    issues.push(integerIssue("areaWindow.sizeUs", areaWindow.sizeUs, 1));
    issues.push(integerIssue("areaWindow.slideUs", areaWindow.slideUs, 1));
    if (Number(areaWindow.slideUs) > Number(areaWindow.sizeUs)) {
      const slideUs = formatValue(areaWindow.slideUs);
      const sizeUs = formatValue(areaWindow.sizeUs);
      issues.push(
        `areaWindow.slideUs is ${slideUs}: expected at most areaWindow.sizeUs (${sizeUs})`,
      );
    }
  } else {
    issues.push(objectIssue("areaWindow", areaWindow));
  }

  const anomaly = spec.anomaly;
  if (isRecord(anomaly)) {
    issues.push(...anomalyOptionIssues(anomaly as unknown as AnomalyDetectorOptions, "anomaly."));
  } else {
    issues.push(objectIssue("anomaly", anomaly));
  }

  throwIfAnyIssue("pipeline spec", issues);
  return spec as unknown as PipelineSpec;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function objectIssue(path: string, value: unknown): string {
  return `${path} is ${formatValue(value)}: expected an object`;
}
