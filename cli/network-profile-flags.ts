/**
 * The `--network-profile FILE [--network-load N]` flags of `npm run sim` and `npm run live`: replace the
 * scenario's modelled device link, uplink and edge delay with a latency distribution measured
 * by `npm run calibrate` through real brokers.
 */
import {
  calibratedTopology,
  nearestLoad,
  readNetworkProfile,
} from "../framework/ingestion/network-profile.js";
import type { Options } from "yargs";
import { UserInputError } from "../framework/runtime/user-input-error.js";
import type { ScenarioConfig } from "../scenarios/scenario.js";

/** yargs definitions of the flags. */
export const networkProfileOptions = {
  "network-profile": {
    type: "string",
    describe:
      "network profile JSON from npm run calibrate: measured ingestion latency replaces the modelled links",
  },
  "network-load": {
    nargs: 1,
    type: "string",
    describe:
      "records/s whose measurement in --network-profile to use (default: the profile's lowest load)",
  },
} as const satisfies Record<string, Options>;

/** Returns `config` with the profile's links when `--network-profile` is given, else `config`. */
export function applyNetworkProfileFlags(
  config: ScenarioConfig,
  args: Record<string, unknown>,
): ScenarioConfig {
  if (typeof args["network-profile"] !== "string") {
    if (args["network-load"] !== undefined) {
      throw new UserInputError(
        "--network-load needs --network-profile FILE: pass the profile it selects from",
      );
    }
    return config;
  }
  const profile = readNetworkProfile(args["network-profile"]);
  let recordsPerSec = Math.min(...profile.loads.map((load) => load.recordsPerSec));
  if (args["network-load"] !== undefined) {
    recordsPerSec = Number(args["network-load"]);
    if (!(recordsPerSec > 0) || !Number.isFinite(recordsPerSec)) {
      throw new UserInputError(
        `invalid --network-load "${String(args["network-load"])}": expected a positive number of records per second`,
      );
    }
  }
  const links = calibratedTopology(nearestLoad(profile, recordsPerSec));
  const { topology } = config;
  return {
    ...config,
    topology: {
      ...topology,
      // Scheduled partitions stay: an outage is part of the scenario, not of the measurement.
      deviceLink: { ...links.deviceLink, partitions: topology.deviceLink.partitions },
      uplink: { ...links.uplink, partitions: topology.uplink.partitions },
      edgeProcessingUs: links.edgeProcessingUs,
    },
  };
}
