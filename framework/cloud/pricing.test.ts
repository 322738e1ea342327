import { describe, expect, it } from "vitest";

import { UserInputError } from "../runtime/user-input-error.js";
import { dcuForWorker, nodeSizeForWorker, workerHourlyRateUsd } from "./pricing.js";
import { getProvider, type DcuPricing, type NodePricing } from "./providers.js";

const gcp = getProvider("gcp");
const azure = getProvider("azure");
const dcuPricing = gcp.pricing as DcuPricing;
const nodePricing = azure.pricing as NodePricing;

describe("dcuForWorker", () => {
  it("converts the default 4 vCPU / 16 GB worker to 4 DCU", () => {
    // 4 × 0.6 + 16 × 0.1 = 2.4 + 1.6
    expect(dcuForWorker(dcuPricing, 4, 16)).toBeCloseTo(4, 12);
  });

  it("charges memory above 8 GB per vCPU at 0.2 DCU per GB", () => {
    // 4 vCPU and 48 GB: 4 × 0.6 = 2.4, the first 32 GB × 0.1 = 3.2, the other 16 GB × 0.2 = 3.2.
    expect(dcuForWorker(dcuPricing, 4, 48)).toBeCloseTo(8.8, 12);
  });
});

describe("nodeSizeForWorker", () => {
  it("rounds a worker up to the smallest node that fits", () => {
    expect(nodeSizeForWorker(nodePricing, 5, 20).name).toBe("Medium");
  });

  it("rounds up on memory alone", () => {
    expect(nodeSizeForWorker(nodePricing, 4, 33).name).toBe("Medium");
  });

  it("keeps an exact fit", () => {
    expect(nodeSizeForWorker(nodePricing, 4, 32).name).toBe("Small");
  });

  it("rejects a worker larger than every node", () => {
    expect(() => nodeSizeForWorker(nodePricing, 64, 500)).toThrow(
      "worker of 64 vCPU and 500 GB fits no node size: the largest is XXLarge (64 vCore, 432 GB)",
    );
  });
});

describe("workerHourlyRateUsd", () => {
  it("prices an EMR Serverless worker per vCPU-hour and GB-hour", () => {
    // 4 × 0.052624 + 16 × 0.0057785 = 0.210496 + 0.092456
    expect(workerHourlyRateUsd(getProvider("aws"), 4, 16)).toBeCloseTo(0.302952, 12);
  });

  it("prices a Dataproc worker by DCU", () => {
    // 8.8 DCU × $0.06
    expect(workerHourlyRateUsd(gcp, 4, 48)).toBeCloseTo(0.528, 12);
  });

  it("prices a Synapse worker as its whole node", () => {
    // A 5 vCPU worker occupies a Medium node: 8 vCores × $0.143.
    expect(workerHourlyRateUsd(azure, 5, 20)).toBeCloseTo(1.144, 12);
  });

  it("rejects a zero vCPU worker", () => {
    expect(() => workerHourlyRateUsd(gcp, 0, 16)).toThrow(UserInputError);
  });
});
