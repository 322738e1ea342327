import { describe, expect, it } from "vitest";
import { UserInputError } from "../runtime/user-input-error.js";
import { validatePipelineSpec, type PipelineSpec } from "./pipeline-spec.js";

const VALID: PipelineSpec = {
  deviceWindow: { sizeUs: 60_000_000 },
  areaWindow: { sizeUs: 300_000_000, slideUs: 60_000_000 },
  allowedLatenessUs: 30_000_000,
  maxFutureSkewUs: 600_000_000,
  anomaly: { method: "ewma", threshold: 4, windowSize: 32, warmup: 16 },
};

describe("validatePipelineSpec", () => {
  it("returns a valid spec unchanged", () => {
    expect(validatePipelineSpec(VALID)).toEqual(VALID);
  });

  it("lists every problem with its path", () => {
    const spec = {
      ...VALID,
      allowedLatenessUs: -5,
      areaWindow: { sizeUs: 10, slideUs: 20 },
      anomaly: { ...VALID.anomaly, method: "zscore", threshold: 0 },
    };

    expect(() => validatePipelineSpec(spec)).toThrow(UserInputError);
    expect(() => validatePipelineSpec(spec)).toThrow(
      "invalid pipeline spec: allowedLatenessUs is -5: expected a non-negative integer; " +
        "areaWindow.slideUs is 20: expected at most areaWindow.sizeUs (10); " +
        'anomaly.method is "zscore": expected one of "robust-z", "ewma"; ' +
        "anomaly.threshold is 0: expected a finite number above 0",
    );
  });

  it("names a missing section", () => {
    const { deviceWindow: _omitted, ...spec } = VALID;

    expect(() => validatePipelineSpec(spec)).toThrow(
      "invalid pipeline spec: deviceWindow is missing: expected an object",
    );
  });

  it("rejects a spec that is not an object", () => {
    expect(() => validatePipelineSpec(null)).toThrow(
      "invalid pipeline spec: the spec is null: expected an object",
    );
  });
});
