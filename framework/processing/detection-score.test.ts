import { describe, expect, it } from "vitest";
import { UserInputError } from "../runtime/user-input-error.js";
import { scoreDetections } from "./detection-score.js";

const WINDOWS = [
  { startUs: 10, endUs: 20 },
  { startUs: 30, endUs: 40 },
  { startUs: 50, endUs: 60 },
];

describe("scoreDetections", () => {
  it("scores a hand-built case", () => {
    // 15, 18 and 35 fall in windows; 25 does not; the window at 50 is missed.
    expect(scoreDetections([35, 15, 25, 18], WINDOWS)).toEqual({
      precision: 0.75,
      recall: 2 / 3,
      truePositives: 3,
      falsePositives: 1,
      windowsHit: 2,
      windows: 3,
    });
  });

  it("counts detections on window bounds as inside", () => {
    const score = scoreDetections([10, 40, 60], WINDOWS);

    expect(score.truePositives).toBe(3);
    expect(score.windowsHit).toBe(3);
  });

  it("scores only inside the scored range", () => {
    // The window at 50 and the detection at 55 lie outside [0, 45].
    const score = scoreDetections([15, 25, 55], WINDOWS, { startUs: 0, endUs: 45 });

    expect(score.windows).toBe(2);
    expect(score.windowsHit).toBe(1);
    expect(score.truePositives).toBe(1);
    expect(score.falsePositives).toBe(1);
    expect(score.recall).toBe(0.5);
  });

  it("counts a window overlapping the range edge", () => {
    const score = scoreDetections([], WINDOWS, { startUs: 35, endUs: 45 });

    expect(score.windows).toBe(1);
  });

  it("gives null precision when nothing is detected", () => {
    const score = scoreDetections([], WINDOWS);

    expect(score.precision).toBeNull();
    expect(score.recall).toBe(0);
  });

  it("gives null recall when no window is in range", () => {
    const score = scoreDetections([5, 6], []);

    expect(score.recall).toBeNull();
    expect(score.precision).toBe(0);
  });

  it("gives both null with neither detections nor windows", () => {
    const score = scoreDetections([], WINDOWS, { startUs: 100, endUs: 200 });

    expect(score.precision).toBeNull();
    expect(score.recall).toBeNull();
  });

  it("counts a detection in overlapping windows once", () => {
    const overlapping = [
      { startUs: 0, endUs: 10 },
      { startUs: 5, endUs: 15 },
    ];
    const score = scoreDetections([7], overlapping);

    expect(score.truePositives).toBe(1);
    expect(score.windowsHit).toBe(2);
  });

  it("rejects a detection time that is not finite", () => {
    expect(() => scoreDetections([1, Number.NaN], WINDOWS)).toThrow(UserInputError);
    expect(() => scoreDetections([1, Number.NaN], WINDOWS)).toThrow(
      "invalid detection time NaN at index 1: expected a finite number of µs",
    );
  });
});
