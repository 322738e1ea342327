import { expect, it } from "vitest";
import { calibrateScenario } from "../scenarios/calibrate-cli.js";
import { loadCalibration } from "../scenarios/calibration-file.js";
import { scenarios } from "../scenarios/registry.js";
import { describeWithTraces } from "./traces-available.js";

describeWithTraces("generator calibration files", (tracesRoot) => {
  for (const config of scenarios.values()) {
    it(`matches a fresh calibration of ${config.name} from its traces`, async () => {
      const fresh = JSON.parse(JSON.stringify(await calibrateScenario(config, tracesRoot)));
      expect(loadCalibration(config.name)).toEqual(fresh);
    });
  }
});
