import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dqnDefaults, explorationRate } from "../agents/dqn/hyperparameters.js";
import { applyOverrides } from "../agents/hyperparameter-overrides.js";
import { ppoDefaults } from "../agents/ppo/hyperparameters.js";
import { UserInputError } from "../framework/runtime/user-input-error.js";

function jsonFile(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), "rl-hyper-")), "hyper.json");
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe("applyOverrides", () => {
  it("applies the file, then the flags", () => {
    const file = jsonFile({ learningRate: 0.01, hiddenSizes: [32] });
    const result = applyOverrides(ppoDefaults, file, ["learningRate=0.02", "epochs=8"]);
    expect(result.learningRate).toBe(0.02);
    expect(result.hiddenSizes).toEqual([32]);
    expect(result.epochs).toBe(8);
    expect(result.gamma).toBe(ppoDefaults.gamma);
  });

  it("leaves the defaults unchanged", () => {
    applyOverrides(ppoDefaults, undefined, ["epochs=8"]);
    expect(ppoDefaults.epochs).toBe(4);
  });

  it("rejects an unknown key", () => {
    expect(() => applyOverrides(ppoDefaults, jsonFile({ lr: 1 }), [])).toThrow(UserInputError);
  });

  it("rejects a value of the wrong type", () => {
    expect(() => applyOverrides(dqnDefaults, undefined, ["doubleDqn=3"])).toThrow(
      /invalid hyperparameter doubleDqn=3 in --set: expected a boolean/,
    );
  });

  it("rejects a file that is not an object", () => {
    expect(() => applyOverrides(dqnDefaults, jsonFile([1, 2]), [])).toThrow(/JSON object/);
  });
});

describe("explorationRate", () => {
  it("falls linearly, then stays at the final rate", () => {
    const hyper = { ...dqnDefaults, explorationInitial: 1, explorationFinal: 0.1 };
    hyper.explorationFraction = 0.5;
    expect(explorationRate(hyper, 0, 1000)).toBe(1);
    expect(explorationRate(hyper, 250, 1000)).toBeCloseTo(0.55, 12);
    expect(explorationRate(hyper, 500, 1000)).toBeCloseTo(0.1, 12);
    expect(explorationRate(hyper, 900, 1000)).toBeCloseTo(0.1, 12);
  });
});
