/**
 * A latency histogram with log-spaced buckets, so percentiles of millions of records cost a
 * fixed amount of memory: 64 buckets per factor of two, which bounds the relative error of a
 * reported percentile by about 1.1%.
 */

const BUCKETS_PER_DOUBLING = 64;
/** Largest latency kept exactly in a bucket: 2^40 µs, about 12.7 days; larger ones clamp. */
const MAX_DOUBLINGS = 40;

/** Counts of latencies in microseconds. */
export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKETS_PER_DOUBLING * MAX_DOUBLINGS + 1);
  private total = 0;
  private sumUs = 0;
  private maxUs = 0;

  /** Adds one latency; negative values (clock skew between hosts) count as 0. */
  add(latencyUs: number): void {
    const value = Math.max(0, latencyUs);
    this.counts[bucketOf(value)] += 1;
    this.total += 1;
    this.sumUs += value;
    if (value > this.maxUs) this.maxUs = value;
  }

  /** Adds every count of `other` to this histogram. */
  merge(other: LatencyHistogram): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i] += other.counts[i];
    this.total += other.total;
    this.sumUs += other.sumUs;
    this.maxUs = Math.max(this.maxUs, other.maxUs);
  }

  /** Latencies added. */
  get count(): number {
    return this.total;
  }

  /** Mean latency in µs; null when empty. */
  get meanUs(): number | null {
    return this.total === 0 ? null : this.sumUs / this.total;
  }

  /**
   * Returns the latency at cumulative share `q` in [0, 1], in µs: the geometric middle of the
   * bucket that holds it, capped at the largest value added. Null when empty.
   */
  quantileUs(q: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.min(this.total, Math.max(1, Math.ceil(q * this.total)));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(this.maxUs, bucketMiddleUs(i));
    }
    return this.maxUs;
  }
}

/** Bucket 0 holds [0, 1) µs; bucket i > 0 holds [2^((i-1)/k), 2^(i/k)) µs with k per doubling. */
function bucketOf(valueUs: number): number {
  if (valueUs < 1) return 0;
  const index = Math.floor(Math.log2(valueUs) * BUCKETS_PER_DOUBLING) + 1;
  return Math.min(index, BUCKETS_PER_DOUBLING * MAX_DOUBLINGS);
}

function bucketMiddleUs(index: number): number {
  if (index === 0) return 0.5;
  return 2 ** ((index - 0.5) / BUCKETS_PER_DOUBLING);
}
