import { describe, expect, it } from "vitest";
import { getScenario } from "../scenarios/registry.js";
import { validateScenario } from "../scenarios/validate.js";

describe("scenario sync settings", () => {
  it("accepts every scenario's defaults", () => {
    for (const name of ["smartcity", "healthcare", "agriculture", "industry"]) {
      expect(() => validateScenario(getScenario(name))).not.toThrow();
    }
  });

  it("lists every invalid sync field", () => {
    const config = getScenario("smartcity");
    config.sync.pollIntervalUs = 0;
    config.sync.routeProbability = 1.5;
    config.sync.partitionedEdges = 99;
    config.sync.partitions = [{ fromUs: 10, toUs: 5 }];
    expect(() => validateScenario(config)).toThrow(
      'invalid scenario "smartcity": sync.pollIntervalUs is 0: expected a positive integer; ' +
        "sync.routeProbability is 1.5: expected a probability in [0, 1]; " +
        "sync.partitionedEdges is 99: expected an integer in [0, 16] (topology.edgeNodes); " +
        "sync.partitions[0].toUs is 5: expected an integer after its start 10",
    );
  });
});
