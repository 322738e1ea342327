/**
 * A fixed-capacity rolling window of numbers that keeps its values sorted, so the median is
 * read in O(1) and the median absolute deviation in O(log w).
 */

import { integerIssue, throwIfAnyIssue } from "./option-checks.js";

/**
 * The last `capacity` values pushed, kept in arrival order and in sorted order. A push costs
 * two binary searches plus a move of at most `capacity` doubles, which is short for windows of
 * tens to a few hundred values.
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
    // One buffer for both: a detector creates a window per series, and each buffer is costly.
    const buffer = new Float64Array(2 * capacity);
    this.sorted = buffer.subarray(0, capacity);
    this.arrivals = buffer.subarray(capacity);
  }

  /** Number of values held, at most `capacity`. */
  get size(): number {
    return this.count;
  }

  /** Adds a finite value, evicting the oldest one when the window is full. */
  push(value: number): void {
    const evicted = this.arrivals[this.nextSlot];
    this.arrivals[this.nextSlot] = value;
    this.nextSlot = (this.nextSlot + 1) % this.capacity;
    if (this.count === this.capacity) {
      this.replaceSorted(evicted, value);
    } else {
      this.insertSorted(value);
    }
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
    if (n % 2 === 1) {
      return this.kthDeviation(half, center);
    }

    // The n/2 smallest deviations are the first `fromLeft` of the left run and the first
    // `fromRight` of the right run. The next larger one is the smaller of the two deviations
    // that follow, so one search finds both middle deviations.
    const fromLeft = this.smallestFromLeft(half - 1, center);
    const fromRight = half - fromLeft;
    const lower = Math.max(
      fromLeft > 0 ? this.leftDeviation(fromLeft - 1, center) : Number.NEGATIVE_INFINITY,
      fromRight > 0 ? this.rightDeviation(fromRight - 1, center) : Number.NEGATIVE_INFINITY,
    );
    // With n even each run has n/2 deviations, so at least one of them has one more.
    const upper = Math.min(
      fromLeft < half ? this.leftDeviation(fromLeft, center) : Number.POSITIVE_INFINITY,
      fromRight < half ? this.rightDeviation(fromRight, center) : Number.POSITIVE_INFINITY,
    );
    return (lower + upper) / 2;
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
    const fromLeft = this.smallestFromLeft(k, center);
    const fromRight = k + 1 - fromLeft;
    const lastLeft =
      fromLeft > 0 ? this.leftDeviation(fromLeft - 1, center) : Number.NEGATIVE_INFINITY;
    const lastRight =
      fromRight > 0 ? this.rightDeviation(fromRight - 1, center) : Number.NEGATIVE_INFINITY;
    return Math.max(lastLeft, lastRight);
  }

  /**
   * Returns how many of the k + 1 smallest deviations come from the left run. The rest are the
   * first ones of the right run.
   */
  private smallestFromLeft(k: number, center: number): number {
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
    return low;
  }

  /** Deviation of the i-th value left of the middle, counting outwards from 0. */
  private leftDeviation(i: number, center: number): number {
    return center - this.sorted[(this.count >> 1) - 1 - i];
  }

  /** Deviation of the j-th value from the middle rightwards, counting from 0. */
  private rightDeviation(j: number, center: number): number {
    return this.sorted[(this.count >> 1) + j] - center;
  }

  /**
   * Removes `evicted` from the sorted values and inserts `added`, leaving the same array as a
   * removal followed by an insertion. Only the values between the two positions move, one
   * step towards the freed slot.
   */
  private replaceSorted(evicted: number, added: number): void {
    const sorted = this.sorted;
    // `evicted` is present, so the last index not above it contains it.
    const evictedIndex = this.upperBound(evicted) - 1;
    // upperBound over the array without `evicted` is one less when `evicted` lay before it.
    const bound = this.upperBound(added);
    const addedIndex = bound > evictedIndex ? bound - 1 : bound;
    if (addedIndex >= evictedIndex) {
      for (let i = evictedIndex; i < addedIndex; i++) {
        sorted[i] = sorted[i + 1];
      }
    } else {
      for (let i = evictedIndex; i > addedIndex; i--) {
        sorted[i] = sorted[i - 1];
      }
    }
    sorted[addedIndex] = added;
  }

  private insertSorted(value: number): void {
    const sorted = this.sorted;
    const index = this.upperBound(value);
    // A loop: the moves are short, and `copyWithin` costs more to call than to run here.
    for (let i = this.count; i > index; i--) {
      sorted[i] = sorted[i - 1];
    }
    sorted[index] = value;
    this.count += 1;
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
