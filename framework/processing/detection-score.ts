/**
 * Window-level precision and recall of anomaly detections against labelled windows.
 */

import { UserInputError } from "../runtime/user-input-error.js";
import type { LabelWindow } from "./labels.js";

/** Precision and recall of a set of detections, with the counts behind them. */
export interface DetectionScore {
  /** truePositives / (truePositives + falsePositives); null when nothing was detected. */
  precision: number | null;
  /** windowsHit / windows; null when no window lies in the scored range. */
  recall: number | null;
  /** Detections inside at least one window. */
  truePositives: number;
  /** Detections outside every window. */
  falsePositives: number;
  /** Windows with at least one detection inside. */
  windowsHit: number;
  /** Windows that overlap the scored range. */
  windows: number;
}

/**
 * Scores detection times against labelled windows, with every bound inclusive and every time
 * in µs. When `scoredRange` is given, detections outside it are ignored and only windows that
 * overlap it count.
 *
 * Recall here is window-level: the fraction of windows with at least one detection, as NAB
 * uses its label windows to decide whether an anomaly was found. It is not NAB's weighted
 * score. Several detections in one window count once for recall and each time for precision.
 *
 * @throws UserInputError when a time is not finite or a window ends before it starts
 */
export function scoreDetections(
  detectionTimesUs: readonly number[],
  windows: readonly LabelWindow[],
  scoredRange?: LabelWindow,
): DetectionScore {
  const range = scoredRange ?? { startUs: -Infinity, endUs: Infinity };
  checkWindow(range, "scored range");
  windows.forEach((window, index) => checkWindow(window, `window ${index}`));

  const invalidIndex = detectionTimesUs.findIndex((t) => !Number.isFinite(t));
  if (invalidIndex >= 0) {
    const value = detectionTimesUs[invalidIndex];
    throw new UserInputError(
      `invalid detection time ${value} at index ${invalidIndex}: expected a finite number of µs`,
    );
  }
  const detections = Float64Array.from(detectionTimesUs.filter((t) => isInside(t, range))).sort();
  const windowsInRange = windows.filter(
    (w) => w.startUs <= range.endUs && w.endUs >= range.startUs,
  );

  // A window is hit when the first detection at or after its start is not past its end.
  let windowsHit = 0;
  for (const window of windowsInRange) {
    const first = lowerBound(detections, window.startUs);
    if (first < detections.length && detections[first] <= window.endUs) {
      windowsHit += 1;
    }
  }

  // Merge overlapping windows so each detection is tested against disjoint intervals.
  const merged = mergeWindows(windowsInRange);
  let truePositives = 0;
  for (const t of detections) {
    if (isInsideAny(t, merged)) {
      truePositives += 1;
    }
  }

  const falsePositives = detections.length - truePositives;
  return {
    precision: detections.length === 0 ? null : truePositives / detections.length,
    recall: windowsInRange.length === 0 ? null : windowsHit / windowsInRange.length,
    truePositives,
    falsePositives,
    windowsHit,
    windows: windowsInRange.length,
  };
}

function checkWindow(window: LabelWindow, description: string): void {
  const { startUs, endUs } = window;
  if (Number.isNaN(startUs) || Number.isNaN(endUs) || endUs < startUs) {
    throw new UserInputError(
      `invalid ${description}: start ${startUs} and end ${endUs} must be numbers with start <= end`,
    );
  }
}

function isInside(timeUs: number, window: LabelWindow): boolean {
  return timeUs >= window.startUs && timeUs <= window.endUs;
}

/** Returns disjoint windows covering the same instants, sorted by start. */
function mergeWindows(windows: readonly LabelWindow[]): LabelWindow[] {
  const sorted = [...windows].sort((a, b) => a.startUs - b.startUs);
  const merged: LabelWindow[] = [];
  for (const window of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && window.startUs <= last.endUs) {
      last.endUs = Math.max(last.endUs, window.endUs);
    } else {
      merged.push({ ...window });
    }
  }
  return merged;
}

/** Returns whether `timeUs` lies in one of the disjoint, sorted `windows`, in O(log n). */
function isInsideAny(timeUs: number, windows: readonly LabelWindow[]): boolean {
  let low = 0;
  let high = windows.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (windows[middle].endUs < timeUs) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low < windows.length && windows[low].startUs <= timeUs;
}

/** Index of the first element not below `value` in a sorted array. */
function lowerBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < value) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}
