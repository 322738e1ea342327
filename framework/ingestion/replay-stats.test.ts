import { describe, expect, it } from "vitest";
import { ReplayStats, replayCounterNames } from "./replay-stats.js";

describe("ReplayStats", () => {
  it("lists every counter at zero", () => {
    expect(new ReplayStats().entries()).toEqual(replayCounterNames.map((name) => [name, 0]));
  });

  it("serialises every counter", () => {
    const stats = new ReplayStats();
    stats.gaps = 3;
    expect(JSON.parse(JSON.stringify(stats))).toEqual({
      ...Object.fromEntries(replayCounterNames.map((name) => [name, 0])),
      gaps: 3,
    });
  });

  it("has a field for every listed counter", () => {
    const fields = Object.keys(new ReplayStats()).sort();
    expect(fields).toEqual([...replayCounterNames].sort());
  });
});
