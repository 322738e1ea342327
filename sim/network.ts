/**
 * The network model: links with a log-normal latency, a bandwidth, a loss rate with
 * retransmission, and scheduled partitions during which the sender keeps messages and delivers
 * them after the link heals (store and forward, as an MQTT client with a persistent session
 * does). Nothing is lost: a lost attempt costs a retransmission timeout instead.
 */
import type { RandomStream } from "./random.js";

/** A scheduled outage of a link, in microseconds of simulated time: down in [fromUs, toUs). */
export interface Partition {
  fromUs: number;
  toUs: number;
}

/** Properties of one link. */
export interface LinkConfig {
  /** Median one-way latency, in microseconds. */
  latencyMedianUs: number;
  /** Shape of the log-normal latency: the standard deviation of its logarithm. */
  latencySigma: number;
  /** Bandwidth, in megabits per second. */
  bandwidthMbps: number;
  /** Probability that one transmission attempt is lost, in [0, 1). */
  lossRate: number;
  /** Wait before a lost attempt is sent again, in microseconds. */
  retransmitTimeoutUs: number;
  /** Scheduled outages. */
  partitions: Partition[];
  /**
   * Measured latency at shares 0, 0.01, ..., 1 of its distribution, in µs. When present it
   * replaces the log-normal: each delay is drawn by inverse transform with linear
   * interpolation, and `latencyMedianUs` and `latencySigma` are ignored.
   */
  latencyQuantilesUs?: number[];
}

/** Counters of one link. */
export interface LinkStats {
  messages: number;
  retransmissions: number;
  heldByPartition: number;
}

/** One directed link drawing its delays from its own random stream. */
export class NetworkLink {
  readonly stats: LinkStats = { messages: 0, retransmissions: 0, heldByPartition: 0 };

  constructor(
    private readonly config: LinkConfig,
    private readonly random: RandomStream,
  ) {}

  /** Returns the time a message of `bytes` bytes sent at `sendUs` is delivered, in microseconds. */
  deliveryUs(sendUs: number, bytes: number): number {
    const config = this.config;
    this.stats.messages++;
    let departUs = this.afterPartitions(sendUs);
    if (departUs !== sendUs) this.stats.heldByPartition++;

    // Each lost attempt waits one retransmission timeout and may meet a partition again.
    while (config.lossRate > 0 && this.random.uniform() < config.lossRate) {
      this.stats.retransmissions++;
      departUs = this.afterPartitions(departUs + config.retransmitTimeoutUs);
    }

    const serialisationUs = (bytes * 8) / config.bandwidthMbps; // 1 Mbit/s is 1 bit per µs
    const latencyUs =
      config.latencyQuantilesUs === undefined
        ? config.latencyMedianUs * Math.exp(config.latencySigma * this.random.normal())
        : interpolateQuantile(config.latencyQuantilesUs, this.random.uniform());
    return Math.round(departUs + serialisationUs + latencyUs);
  }

  /** Returns `timeUs`, or the end of the partition that contains it. */
  private afterPartitions(timeUs: number): number {
    let t = timeUs;
    for (const partition of this.config.partitions) {
      if (t >= partition.fromUs && t < partition.toUs) t = partition.toUs;
    }
    return t;
  }
}

/** Returns the value at share `u` in [0, 1) of evenly spaced quantiles, linearly interpolated. */
function interpolateQuantile(quantiles: readonly number[], u: number): number {
  const position = u * (quantiles.length - 1);
  const index = Math.floor(position);
  const next = Math.min(index + 1, quantiles.length - 1);
  return quantiles[index] + (quantiles[next] - quantiles[index]) * (position - index);
}
