/**
 * A fixed-capacity rolling window of numbers that keeps its values sorted, so the median is
 * read in O(1) and the median absolute deviation in O(log w).
 */

import { integerIssue, throwIfAnyIssue } from "./option-checks.js";

/**
 * The last `capacity` values pushed, kept in arrival order and in sorted order. A push costs a
 * binary search plus a `copyWithin` of at most `capacity` doubles, which is short for windows
 * of tens to a few hundred values.
 */
export class RollingMedianWindow {
  readonly capacity: number;
  private readonly arrivals: Float64Array;
  private readonly sorted: Float64Array;
  private count = 0;
  private nextSlot = 0;

  /** @throws UserInputError when `capacity` is not a positive integer */
  constructor(capacity: number) {
    throwIfAnyIssue("rolling window", [integerIssue("capacity", capacity, 1)]);
    this.capacity = capacity;
    this.arrivals = new Float64Array(capacity);
    this.sorted = new Float64Array(capacity);
  }

  /** Number of values held, at most `capacity`. */
  get size(): number {
    return this.count;
  }

  /** Adds a finite value, evicting the oldest one when the window is full. */
  push(value: number): void {
    if (this.count === this.capacity) {
      this.removeSorted(this.arrivals[this.nextSlot]);
    }
    this.arrivals[this.nextSlot] = value;
    this.nextSlot = (this.nextSlot + 1) % this.capacity;
    this.insertSorted(value);
  }

  /** Returns the median of the values held; NaN when empty. */
  median(): number {
    const n = this.count;
    if (n === 0) {
      return Number.NaN;
    }
    const half = n >> 1;
    return n % 2 === 1 ? this.sorted[half] : (this.sorted[half - 1] + this.sorted[half]) / 2;
  }

  /** Returns the median of |x - median| over the values held; NaN when empty. */
  medianAbsoluteDeviation(): number {
    const n = this.count;
    if (n === 0) {
      return Number.NaN;
    }
    const center = this.median();
    const half = n >> 1;
    return n % 2 === 1
      ? this.kthDeviation(half, center)
      : (this.kthDeviation(half - 1, center) + this.kthDeviation(half, center)) / 2;
  }

  /** Returns the mean of |x - median| over the values held, in O(w); NaN when empty. */
  meanAbsoluteDeviation(): number {
    const n = this.count;
    if (n === 0) {
      return Number.NaN;
    }
    const center = this.median();
    let total = 0;
    for (let i = 0; i < n; i++) {
      total += Math.abs(this.sorted[i] - center);
    }
    return total / n;
  }

  /**
   * Returns the k-th smallest (0-based) of the deviations |x - center|. Deviations of the
   * values below index n/2 grow leftwards and those of the values from n/2 up grow rightwards.
   * So the deviations form two sorted runs, and a binary search on how many of the k + 1
   * smallest come from the left run finds the k-th smallest.
   */
  private kthDeviation(k: number, center: number): number {
    const half = this.count >> 1;
    const leftCount = half;
    const rightCount = this.count - half;

    // Find the fewest left deviations i such that the k + 1 smallest are i from the left run
    // and k + 1 - i from the right run.
    let low = Math.max(0, k + 1 - rightCount);
    let high = Math.min(k + 1, leftCount);
    while (low < high) {
      const i = (low + high) >> 1;
      const j = k + 1 - i;
      // Inside [low, high), i < leftCount and j >= 1, so both reads are in range.
      if (this.leftDeviation(i, center) < this.rightDeviation(j - 1, center)) {
        low = i + 1;
      } else {
        high = i;
      }
    }
    const fromLeft = low;
    const fromRight = k + 1 - fromLeft;
    const lastLeft =
      fromLeft > 0 ? this.leftDeviation(fromLeft - 1, center) : Number.NEGATIVE_INFINITY;
    const lastRight =
      fromRight > 0 ? this.rightDeviation(fromRight - 1, center) : Number.NEGATIVE_INFINITY;
    return Math.max(lastLeft, lastRight);
  }

  /** Deviation of the i-th value left of the middle, counting outwards from 0. */
  private leftDeviation(i: number, center: number): number {
    return center - this.sorted[(this.count >> 1) - 1 - i];
  }

  /** Deviation of the j-th value from the middle rightwards, counting from 0. */
  private rightDeviation(j: number, center: number): number {
    return this.sorted[(this.count >> 1) + j] - center;
  }

  private insertSorted(value: number): void {
    const index = this.upperBound(value);
    this.sorted.copyWithin(index + 1, index, this.count);
    this.sorted[index] = value;
    this.count += 1;
  }

  private removeSorted(value: number): void {
    // The value is present, so the last index not above it contains it.
    const index = this.upperBound(value) - 1;
    this.sorted.copyWithin(index, index + 1, this.count);
    this.count -= 1;
  }

  /** Index of the first sorted value greater than `value`. */
  private upperBound(value: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.sorted[middle] <= value) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }
}
