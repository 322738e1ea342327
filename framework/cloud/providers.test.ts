import { describe, expect, it } from "vitest";

import { UserInputError } from "../runtime/user-input-error.js";
import { getProvider, providerIds } from "./providers.js";

describe("getProvider", () => {
  it("returns a profile for every provider id", () => {
    for (const id of providerIds) {
      expect(getProvider(id).id).toBe(id);
    }
  });

  it("rejects an unknown id with the exact message", () => {
    expect(() => getProvider("awz")).toThrow(
      'unknown provider "awz": expected one of aws, azure, gcp',
    );
  });

  it("rejects an unknown id as user input", () => {
    expect(() => getProvider("awz")).toThrow(UserInputError);
  });

  it("applies overrides", () => {
    const profile = getProvider("azure", { coldStartUs: 120_000_000 });

    expect(profile.coldStartUs).toBe(120_000_000);
  });

  it("keeps the stored profile when a copy is changed", () => {
    const copy = getProvider("gcp") as { minWorkers: number };
    copy.minWorkers = 99;

    expect(getProvider("gcp").minWorkers).toBe(2);
  });

  it("rejects a negative cold start override", () => {
    expect(() => getProvider("aws", { coldStartUs: -1 })).toThrow(
      'invalid coldStartUs -1 for provider "aws": expected an integer of at least 0',
    );
  });

  it("rejects a zero billing granularity override", () => {
    expect(() => getProvider("aws", { billingGranularityUs: 0 })).toThrow(UserInputError);
  });

  it("rejects a zero-memory worker override", () => {
    expect(() => getProvider("aws", { worker: { vcpu: 4, memoryGb: 0 } })).toThrow(UserInputError);
  });
});

describe("ProviderProfile", () => {
  it("models the Synapse three-node pool minimum", () => {
    const azure = getProvider("azure");

    // One head node, which runs the driver, plus the minimum worker nodes.
    expect(1 + azure.minWorkers).toBe(3);
  });

  it("lets EMR Serverless executors scale to zero", () => {
    expect(getProvider("aws").minWorkers).toBe(0);
  });

  it("keeps the two default Dataproc executors", () => {
    expect(getProvider("gcp").minWorkers).toBe(2);
  });
});
