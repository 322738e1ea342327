/**
 * The prefetch comparison. A cloud that keeps no replica fetches a device's state from its
 * edge on a read (a request up the uplink, the reply down) and caches it for `ttlUs`. After
 * each read it requests the predictor's next keys and fetches those ahead of time. A read hits
 * when a fresh copy has already arrived, and otherwise waits for the fetch in flight or starts
 * one. Prefetched copies that expire or are replaced before any read are wasted.
 */
import type { AccessPredictor } from "../framework/edge/prefetch/predictor.js";
import { NetworkLink, type LinkConfig } from "./network.js";
import { RandomStreams } from "./random.js";
import type { CloudRead } from "./sync-workload.js";

/** Settings of the prefetch comparison. */
export interface PrefetchSettings {
  /** Uplink settings of edge `edge`; the downlink uses the same. */
  linkOf: (edge: number) => LinkConfig;
  /** A fetched copy serves reads for this long after its request, in microseconds. */
  ttlUs: number;
  /** Keys prefetched after each read. */
  depth: number;
  /** Size of one fetch request on the wire, in bytes. */
  requestBytes: number;
  /** Size of one fetch reply on the wire, in bytes. */
  replyBytes: number;
}

/** Outcome of one predictor. */
export interface PrefetchOutcome {
  predictor: string;
  reads: number;
  hits: number;
  /** Read latency (0 for a hit), sorted, in microseconds. */
  latenciesUs: Float64Array;
  prefetches: number;
  /** Prefetched copies never read before they expired or were replaced. */
  wastedPrefetches: number;
  wastedBytes: number;
}

interface CachedCopy {
  requestUs: number;
  readyUs: number;
  isPrefetch: boolean;
  isRead: boolean;
}

/** Returns the key index of each read: distinct (edge, device) pairs in order of first read. */
export function readKeys(reads: readonly CloudRead[]): { keys: number[]; keyCount: number } {
  const index = new Map<string, number>();
  const keys = reads.map((read) => {
    const name = `${read.edge}/${read.deviceId}`;
    let key = index.get(name);
    if (key === undefined) {
      key = index.size;
      index.set(name, key);
    }
    return key;
  });
  return { keys, keyCount: index.size };
}

/** Replays `reads` with `predictor` and measures hits, latency and wasted prefetches. */
export function runPrefetch(
  predictor: AccessPredictor,
  reads: readonly CloudRead[],
  settings: PrefetchSettings,
  seed: number,
): PrefetchOutcome {
  const { keys } = readKeys(reads);
  const edgeOfKey = new Map<number, number>();
  reads.forEach((read, i) => edgeOfKey.set(keys[i], read.edge));

  // Each edge and direction draws from its own stream of the run's seed.
  const streams = new RandomStreams(seed);
  const links = new Map<string, NetworkLink>();
  const link = (edge: number, direction: string) => {
    const name = `prefetch/${edge}/${direction}`;
    let found = links.get(name);
    if (found === undefined) {
      found = new NetworkLink(settings.linkOf(edge), streams.stream(name));
      links.set(name, found);
    }
    return found;
  };
  const fetch = (key: number, requestUs: number, isPrefetch: boolean): CachedCopy => {
    const edge = edgeOfKey.get(key)!;
    const atEdgeUs = link(edge, "up").deliveryUs(requestUs, settings.requestBytes);
    const readyUs = link(edge, "down").deliveryUs(atEdgeUs, settings.replyBytes);
    return { requestUs, readyUs, isPrefetch, isRead: false };
  };

  const cache = new Map<number, CachedCopy>();
  const outcome = { hits: 0, prefetches: 0, wastedPrefetches: 0 };
  const replace = (key: number, copy: CachedCopy) => {
    const old = cache.get(key);
    if (old !== undefined && old.isPrefetch && !old.isRead) outcome.wastedPrefetches++;
    cache.set(key, copy);
  };
  const isFresh = (copy: CachedCopy | undefined, nowUs: number) =>
    copy !== undefined && nowUs - copy.requestUs <= settings.ttlUs;

  const latencies: number[] = [];
  for (const [i, read] of reads.entries()) {
    const key = keys[i];
    const nowUs = read.timeUs;
    let copy = cache.get(key);
    if (!isFresh(copy, nowUs)) {
      copy = fetch(key, nowUs, false);
      replace(key, copy);
    }
    copy!.isRead = true;
    const waitUs = Math.max(0, copy!.readyUs - nowUs);
    if (waitUs === 0) outcome.hits++;
    latencies.push(waitUs);

    predictor.observe(key);
    for (const next of predictor.predict(settings.depth)) {
      if (next === key || isFresh(cache.get(next), nowUs)) continue;
      outcome.prefetches++;
      replace(next, fetch(next, nowUs, true));
    }
  }
  for (const copy of cache.values()) {
    if (copy.isPrefetch && !copy.isRead) outcome.wastedPrefetches++;
  }

  return {
    predictor: predictor.name,
    reads: reads.length,
    hits: outcome.hits,
    latenciesUs: Float64Array.from(latencies).sort(),
    prefetches: outcome.prefetches,
    wastedPrefetches: outcome.wastedPrefetches,
    wastedBytes: outcome.wastedPrefetches * (settings.requestBytes + settings.replyBytes),
  };
}
