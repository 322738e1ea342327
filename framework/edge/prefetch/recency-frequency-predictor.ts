/**
 * Recency-frequency predictor: each key's score is its access count with every past access
 * discounted by `decay` per later access, so recent and frequent keys rank first (an
 * exponentially decayed frequency, as in LRFU caching by Lee et al., 2001).
 */
import { topKeys, type AccessPredictor } from "./predictor.js";

/** Decayed access counts over a fixed key space. */
export class RecencyFrequencyPredictor implements AccessPredictor {
  readonly name = "recency";
  private readonly scores: Float64Array;
  private readonly updatedAt: Float64Array;
  private step = 0;

  /**
   * @param keys size of the key space
   * @param decay weight kept per later access, in (0, 1); default 0.9
   */
  constructor(
    keys: number,
    private readonly decay = 0.9,
  ) {
    this.scores = new Float64Array(keys);
    this.updatedAt = new Float64Array(keys);
  }

  observe(key: number): void {
    this.step++;
    this.scores[key] = this.scoreAt(key) + 1;
    this.updatedAt[key] = this.step;
  }

  predict(count: number): number[] {
    const current = new Float64Array(this.scores.length);
    for (let key = 0; key < current.length; key++) current[key] = this.scoreAt(key);
    return topKeys(current, count);
  }

  dispose(): void {}

  // Decay is applied lazily, when a score is read.
  private scoreAt(key: number): number {
    return this.scores[key] * this.decay ** (this.step - this.updatedAt[key]);
  }
}
