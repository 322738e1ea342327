/**
 * Hourly list price of one worker under each provider's price units: vCPU-hours plus GB-hours
 * on EMR Serverless, Data Compute Units on Dataproc Serverless, and whole nodes on Synapse.
 */
import { UserInputError } from "../runtime/user-input-error.js";
import type { DcuPricing, NodePricing, NodeSize, ProviderProfile } from "./providers.js";

/**
 * Returns the Data Compute Units (DCU) of a worker. Memory up to the per-vCPU threshold costs
 * `dcuPerGb` per GB, and memory above it costs `dcuPerGbAboveThreshold` per GB.
 */
export function dcuForWorker(pricing: DcuPricing, vcpu: number, memoryGb: number): number {
  const baseMemoryGb = Math.min(memoryGb, vcpu * pricing.memoryGbPerVcpuThreshold);
  const extraMemoryGb = memoryGb - baseMemoryGb;
  return (
    vcpu * pricing.dcuPerVcpu +
    baseMemoryGb * pricing.dcuPerGb +
    extraMemoryGb * pricing.dcuPerGbAboveThreshold
  );
}

/**
 * Returns the smallest node size with at least `vcpu` vCores and `memoryGb` GB. Throws
 * UserInputError when the worker is larger than every node size.
 */
export function nodeSizeForWorker(pricing: NodePricing, vcpu: number, memoryGb: number): NodeSize {
  const node = pricing.nodeSizes.find((size) => size.vcore >= vcpu && size.memoryGb >= memoryGb);
  if (node !== undefined) {
    return node;
  }

  const largest = pricing.nodeSizes.at(-1);
  const largestText =
    largest === undefined
      ? "no node sizes are defined"
      : `the largest is ${largest.name} (${largest.vcore} vCore, ${largest.memoryGb} GB)`;
  throw new UserInputError(
    `worker of ${vcpu} vCPU and ${memoryGb} GB fits no node size: ${largestText}`,
  );
}

/**
 * Returns the list price in USD per hour of one worker with `vcpu` vCPUs and `memoryGb` GB
 * under `profile`'s pricing. Throws UserInputError for a non-positive size or, on Synapse, a
 * size larger than every node.
 */
export function workerHourlyRateUsd(
  profile: ProviderProfile,
  vcpu: number,
  memoryGb: number,
): number {
  const isPositive = vcpu > 0 && memoryGb > 0 && Number.isFinite(vcpu + memoryGb);
  if (!isPositive) {
    throw new UserInputError(
      `invalid worker size ${vcpu} vCPU / ${memoryGb} GB: expected positive numbers`,
    );
  }

  const pricing = profile.pricing;
  switch (pricing.kind) {
    case "vcpu-memory":
      return vcpu * pricing.usdPerVcpuHour + memoryGb * pricing.usdPerGbHour;
    case "dcu":
      return dcuForWorker(pricing, vcpu, memoryGb) * pricing.usdPerDcuHour;
    case "node":
      return nodeSizeForWorker(pricing, vcpu, memoryGb).vcore * pricing.usdPerVcoreHour;
  }
}
