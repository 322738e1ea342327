/**
 * First-order Markov predictor: counts transitions between consecutive keys and predicts the
 * most frequent successors of the last key.
 */
import { topKeys, type AccessPredictor } from "./predictor.js";

/** Transition counts over a fixed key space of `keys` keys. */
export class MarkovPredictor implements AccessPredictor {
  readonly name = "markov";
  private readonly counts: Float64Array;
  private last = -1;

  constructor(private readonly keys: number) {
    this.counts = new Float64Array(keys * keys);
  }

  observe(key: number): void {
    if (this.last >= 0) this.counts[this.last * this.keys + key]++;
    this.last = key;
  }

  predict(count: number): number[] {
    if (this.last < 0) return [];
    const row = this.counts.subarray(this.last * this.keys, (this.last + 1) * this.keys);
    return topKeys(row, count);
  }

  dispose(): void {}
}
