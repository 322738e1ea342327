import { describe, expect, it } from "vitest";
import { mergeOverrides } from "./config-merge.js";

const defaults = { durationUs: 10, sla: { latencyTargetMs: 500, percentile: 95 }, traces: [1, 2] };

describe("mergeOverrides", () => {
  it("replaces a nested field and keeps its siblings", () => {
    const merged = mergeOverrides(defaults, { sla: { percentile: 99 } }, "test.json");
    expect(merged.sla).toEqual({ latencyTargetMs: 500, percentile: 99 });
  });

  it("replaces arrays whole", () => {
    expect(mergeOverrides(defaults, { traces: [3] }, "test.json").traces).toEqual([3]);
  });

  it("lists every unknown or mistyped field", () => {
    expect(() =>
      mergeOverrides(defaults, { duration: 5, sla: { percentile: "99" } }, "test.json"),
    ).toThrow(
      'invalid overrides in test.json: unknown field "duration": expected one of durationUs, sla, traces; sla.percentile is "99" (a string): expected a number',
    );
  });
});
