/**
 * Builds a run's workload from a scenario: records from the calibrated generator or a real
 * trace, fanned out over virtual devices, carried from device to edge node to cloud by the
 * network model, and sorted by their arrival at the ingestion queue.
 */
import type { SensorRecord } from "../framework/ingestion/record.js";
import { RandomStreams } from "../sim/random.js";
import { NetworkLink } from "../sim/network.js";
import type { Workload } from "../sim/workload.js";
import type { ScenarioConfig } from "./scenario.js";

/** Returns the area (edge node) of a device: a stable hash of its id over the edge nodes. */
export function areaOf(deviceId: string, edgeNodes: number): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < deviceId.length; i++) {
    hash ^= deviceId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `edge-${(hash >>> 0) % edgeNodes}`;
}

/** Counters of the network hop, for the run summary. */
export interface DeliveryStats {
  retransmissions: number;
  heldByPartition: number;
}

/**
 * Collects the records of the `config.durationUs` that starts `config.startOffsetUs` after the
 * first record (the source must be in event-time order) and returns them as a workload with
 * simulated arrival times.
 */
export async function buildWorkload(
  config: ScenarioConfig,
  source: AsyncIterable<SensorRecord> | Iterable<SensorRecord>,
  streams: RandomStreams,
): Promise<{ workload: Workload; delivery: DeliveryStats }> {
  const records: SensorRecord[] = [];
  const offsetUs = config.startOffsetUs ?? 0;
  let epochUs: number | null = null;
  for await (const record of source) {
    epochUs ??= record.eventTimeUs + offsetUs;
    if (record.eventTimeUs < epochUs) continue;
    if (record.eventTimeUs - epochUs >= config.durationUs) break;
    records.push(record);
  }
  const startUs = epochUs ?? 0;
  const lastUs = records.length > 0 ? records[records.length - 1].eventTimeUs - startUs : 0;
  const durationUs = Math.min(config.durationUs, lastUs + 1);

  // Device to edge node to cloud, each edge node with its own links and random streams.
  const { topology } = config;
  const links = new Map<string, { device: NetworkLink; uplink: NetworkLink }>();
  const linksOf = (area: string) => {
    let pair = links.get(area);
    if (pair === undefined) {
      pair = {
        device: new NetworkLink(topology.deviceLink, streams.stream(`network/device-link/${area}`)),
        uplink: new NetworkLink(topology.uplink, streams.stream(`network/uplink/${area}`)),
      };
      links.set(area, pair);
    }
    return pair;
  };

  const arrivals = new Float64Array(records.length);
  for (let i = 0; i < records.length; i++) {
    const pair = linksOf(areaOf(records[i].deviceId, topology.edgeNodes));
    const sentUs = Math.max(0, records[i].eventTimeUs - startUs);
    const atEdgeUs = pair.device.deliveryUs(sentUs, topology.recordBytes);
    arrivals[i] = pair.uplink.deliveryUs(
      atEdgeUs + topology.edgeProcessingUs,
      topology.recordBytes,
    );
  }

  // Sort by arrival; ties keep event-time order.
  const order = Uint32Array.from(records.keys()).sort((a, b) => arrivals[a] - arrivals[b] || a - b);
  const delivery: DeliveryStats = { retransmissions: 0, heldByPartition: 0 };
  for (const pair of links.values()) {
    for (const link of [pair.device, pair.uplink]) {
      delivery.retransmissions += link.stats.retransmissions;
      delivery.heldByPartition += link.stats.heldByPartition;
    }
  }
  return {
    workload: {
      records: Array.from(order, (i) => records[i]),
      arrivalUs: Float64Array.from(order, (i) => arrivals[i]),
      epochUs: startUs,
      durationUs,
    },
    delivery,
  };
}

/**
 * Returns each record's simulated ingestion delay (device send to cloud arrival: both links and
 * the edge processing), ascending, in µs. A live run measures the same span from publish to
 * cloud receive.
 */
export function ingestionDelaysUs(workload: Workload): Float64Array {
  const delays = new Float64Array(workload.records.length);
  for (let i = 0; i < delays.length; i++) {
    delays[i] = workload.arrivalUs[i] - (workload.records[i].eventTimeUs - workload.epochUs);
  }
  return delays.sort();
}
