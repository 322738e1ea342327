/**
 * Named random streams derived from one root seed. Each component draws from its own stream,
 * so adding a component does not shift the draws of another.
 */
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

type Generator = ReturnType<typeof xoroshiro128plus>;

const TWO_POW_32 = 0x100000000;
const TWO_POW_53 = 9007199254740992;

/** A seeded stream of random variates. */
export class RandomStream {
  private readonly generator: Generator;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    this.generator = xoroshiro128plus(seed | 0);
  }

  /** Returns a uniform variate in [0, 1) with 53 random bits. */
  uniform(): number {
    const high = (this.generator.next() >>> 0) >>> 5; // 27 bits
    const low = (this.generator.next() >>> 0) >>> 6; // 26 bits
    return (high * 67108864 + low) / TWO_POW_53;
  }

  /** Returns an integer drawn uniformly from [min, max], both inclusive. */
  integer(min: number, max: number): number {
    return min + Math.floor(this.uniform() * (max - min + 1));
  }

  /** Returns an exponential variate with the given rate (mean 1/rate). */
  exponential(rate: number): number {
    return -Math.log(1 - this.uniform()) / rate;
  }

  /** Returns a normal variate (Box–Muller, caching the second value of each pair). */
  normal(mean = 0, stdDev = 1): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return mean + stdDev * z;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const angle = 2 * Math.PI * this.uniform();
    this.spareNormal = radius * Math.sin(angle);
    return mean + stdDev * radius * Math.cos(angle);
  }

  /** Returns a log-normal variate whose logarithm has mean `mu` and deviation `sigma`. */
  logNormal(mu: number, sigma: number): number {
    return Math.exp(this.normal(mu, sigma));
  }
}

/** Factory of named streams, each seeded from the root seed and the stream's name. */
export class RandomStreams {
  private readonly streams = new Map<string, RandomStream>();

  constructor(readonly rootSeed: number) {
    if (!Number.isSafeInteger(rootSeed) || rootSeed < 0 || rootSeed >= TWO_POW_32) {
      throw new Error(`root seed must be an integer in [0, 2^32), got ${rootSeed}`);
    }
  }

  /** Returns the stream named `name`, creating it on first use. */
  stream(name: string): RandomStream {
    let stream = this.streams.get(name);
    if (stream === undefined) {
      stream = new RandomStream(deriveSeed(this.rootSeed, name));
      this.streams.set(name, stream);
    }
    return stream;
  }
}

/** Derives a 32-bit seed from the root seed and a stream name (FNV-1a, then murmur3's fmix32). */
export function deriveSeed(rootSeed: number, name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return fmix32((rootSeed >>> 0) ^ fmix32(hash >>> 0));
}

function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
