/**
 * A network profile: ingestion latency (device publish to cloud receive) measured through real
 * brokers at several loads. `npm run calibrate` writes one; `npm run sim -- --network-profile
 * FILE` replaces the scenario's modelled links with the measured distribution at one load.
 */
import { readFileSync } from "node:fs";
import { UserInputError } from "../runtime/user-input-error.js";

/** Points of each latency quantile table: shares 0, 0.01, ..., 1. */
export const PROFILE_QUANTILE_POINTS = 101;

/** Latency measured at one offered load. */
export interface ProfileLoad {
  /** Offered load, in records per second. */
  recordsPerSec: number;
  /** Records processed per second of wall-clock time, as measured. */
  measuredRecordsPerSec: number;
  /** Records measured. */
  samples: number;
  /** Ingestion latency at shares 0, 0.01, ..., 1, in µs, non-decreasing. */
  latencyQuantilesUs: number[];
  p50Us: number;
  p95Us: number;
  p99Us: number;
}

/** A calibrated network profile. */
export interface NetworkProfile {
  version: 1;
  /** Span of the path the latencies were measured over. */
  path: "device publish to cloud receive";
  /** ISO time of the measurement. */
  measuredAt: string;
  mqtt: string;
  kafka: string[] | null;
  qos: 0 | 1;
  /** Measurements, by increasing load. */
  loads: ProfileLoad[];
}

/**
 * Reads and checks a profile file.
 *
 * @throws UserInputError naming the file and the first problem
 */
export function readNetworkProfile(path: string): NetworkProfile {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new UserInputError(`network profile "${path}" not found: run npm run calibrate first`);
    }
    throw new UserInputError(`invalid network profile "${path}": ${(error as Error).message}`);
  }
  const problem = profileProblem(value);
  if (problem !== null) throw new UserInputError(`invalid network profile "${path}": ${problem}`);
  return value as NetworkProfile;
}

function profileProblem(value: unknown): string | null {
  if (typeof value !== "object" || value === null) return "expected a JSON object";
  const profile = value as Partial<NetworkProfile>;
  if (profile.version !== 1) return `version is ${String(profile.version)}: expected 1`;
  if (!Array.isArray(profile.loads) || profile.loads.length === 0) {
    return "loads must be a non-empty array";
  }
  for (const [i, load] of profile.loads.entries()) {
    if (!(load.recordsPerSec > 0)) return `loads[${i}].recordsPerSec must be positive`;
    const table = load.latencyQuantilesUs;
    if (!Array.isArray(table) || table.length !== PROFILE_QUANTILE_POINTS) {
      return `loads[${i}].latencyQuantilesUs must hold ${PROFILE_QUANTILE_POINTS} numbers`;
    }
    for (let j = 0; j < table.length; j++) {
      if (!(table[j] >= 0) || (j > 0 && table[j] < table[j - 1])) {
        return `loads[${i}].latencyQuantilesUs must be non-negative and non-decreasing`;
      }
    }
  }
  return null;
}

/** Returns the measurement whose load is nearest to `recordsPerSec` on a log scale. */
export function nearestLoad(profile: NetworkProfile, recordsPerSec: number): ProfileLoad {
  let best = profile.loads[0];
  for (const load of profile.loads) {
    const distance = Math.abs(Math.log(load.recordsPerSec / recordsPerSec));
    if (distance < Math.abs(Math.log(best.recordsPerSec / recordsPerSec))) best = load;
  }
  return best;
}

/** Link settings that carry a measured latency distribution (the fields of a simulated link). */
export interface CalibratedLink {
  latencyMedianUs: number;
  latencySigma: number;
  bandwidthMbps: number;
  lossRate: number;
  retransmitTimeoutUs: number;
  latencyQuantilesUs: number[];
}

/**
 * Returns the links and edge delay that reproduce a measured load in simulation. The measured
 * path runs from device publish to cloud receive, edge included, so the device link carries
 * the whole distribution and the uplink and the edge stage add nothing. Loss and bandwidth
 * are already inside the measurement.
 */
export function calibratedTopology(load: ProfileLoad): {
  deviceLink: CalibratedLink;
  uplink: CalibratedLink;
  edgeProcessingUs: number;
} {
  const free = { bandwidthMbps: 1e9, lossRate: 0, retransmitTimeoutUs: 0, latencySigma: 0 };
  return {
    deviceLink: {
      ...free,
      latencyMedianUs: load.p50Us,
      latencyQuantilesUs: load.latencyQuantilesUs,
    },
    uplink: {
      ...free,
      latencyMedianUs: 0,
      latencyQuantilesUs: new Array(PROFILE_QUANTILE_POINTS).fill(0),
    },
    edgeProcessingUs: 0,
  };
}
