/**
 * Running mean and variance of observation features, merged batch by batch with the parallel
 * algorithm of Chan, Golub and LeVeque (1979), as PPO implementations use for observation
 * normalisation. The statistics are saved with a policy because the network only understands
 * observations normalised the same way.
 */

/** Serialised form of `RunningMeanStd`. */
export interface RunningMeanStdState {
  mean: number[];
  variance: number[];
  count: number;
}

/** Per-feature running mean and variance. */
export class RunningMeanStd {
  mean: Float64Array;
  variance: Float64Array;
  /** Observations seen; starts at a tiny value so the first merge needs no special case. */
  count = 1e-4;

  constructor(
    readonly size: number,
    /** Normalised values are clipped to [-clip, clip]. */
    readonly clip = 10,
  ) {
    this.mean = new Float64Array(size);
    this.variance = new Float64Array(size).fill(1);
  }

  /** Merges a batch of observations into the statistics. */
  update(batch: readonly Float32Array[]): void {
    if (batch.length === 0) return;
    const batchMean = new Float64Array(this.size);
    const batchVariance = new Float64Array(this.size);
    for (const row of batch) for (let j = 0; j < this.size; j++) batchMean[j] += row[j];
    for (let j = 0; j < this.size; j++) batchMean[j] /= batch.length;
    for (const row of batch) {
      for (let j = 0; j < this.size; j++) batchVariance[j] += (row[j] - batchMean[j]) ** 2;
    }
    for (let j = 0; j < this.size; j++) batchVariance[j] /= batch.length;

    const total = this.count + batch.length;
    for (let j = 0; j < this.size; j++) {
      const delta = batchMean[j] - this.mean[j];
      const m2 =
        this.variance[j] * this.count +
        batchVariance[j] * batch.length +
        (delta * delta * this.count * batch.length) / total;
      this.mean[j] += (delta * batch.length) / total;
      this.variance[j] = m2 / total;
    }
    this.count = total;
  }

  /** Returns `(x - mean) / sqrt(variance + 1e-8)`, clipped to [-clip, clip]. */
  normalize(observation: ArrayLike<number>): Float32Array {
    const out = new Float32Array(this.size);
    for (let j = 0; j < this.size; j++) {
      const z = (observation[j] - this.mean[j]) / Math.sqrt(this.variance[j] + 1e-8);
      out[j] = Math.max(-this.clip, Math.min(this.clip, z));
    }
    return out;
  }

  toJson(): RunningMeanStdState {
    return { mean: [...this.mean], variance: [...this.variance], count: this.count };
  }

  /** Replaces the statistics with saved ones of the same size. */
  load(state: RunningMeanStdState): void {
    if (state.mean.length !== this.size || state.variance.length !== this.size) {
      throw new Error(`saved statistics have ${state.mean.length} features, expected ${this.size}`);
    }
    this.mean = Float64Array.from(state.mean);
    this.variance = Float64Array.from(state.variance);
    this.count = state.count;
  }
}
