import { describe, expect, it } from "vitest";
import { CartPole, cartPoleConstants } from "../agents/cartpole.js";

describe("CartPole", () => {
  it("uses the classic control constants", () => {
    expect(cartPoleConstants.gravity).toBe(9.8);
    expect(cartPoleConstants.massCart).toBe(1.0);
    expect(cartPoleConstants.massPole).toBe(0.1);
    expect(cartPoleConstants.halfPoleLength).toBe(0.5);
    expect(cartPoleConstants.forceMagnitude).toBe(10);
    expect(cartPoleConstants.tau).toBe(0.02);
    expect(cartPoleConstants.thetaThreshold).toBeCloseTo((12 * Math.PI) / 180, 12);
    expect(cartPoleConstants.xThreshold).toBe(2.4);
    expect(cartPoleConstants.maxEpisodeSteps).toBe(500);
  });

  it("draws the initial state from U(-0.05, 0.05)", () => {
    const env = new CartPole();
    for (let seed = 0; seed < 50; seed++) {
      for (const value of env.reset(seed))
        expect(Math.abs(value)).toBeLessThanOrEqual(Math.fround(0.05));
    }
  });

  it("integrates one Euler step from rest as computed by hand", () => {
    const env = new CartPole();
    const state = env.reset(3);
    Object.assign(env, { state: new Float64Array([0, 0, 0, 0]) });
    const result = env.step(1);
    // From rest and upright: xAcc = F / (M + m) - ml * thetaAcc / (M + m) and
    // thetaAcc = -(F / (M + m)) / (l * (4/3 - m / (M + m))).
    const temp = 10 / 1.1;
    const thetaAcc = -temp / (0.5 * (4 / 3 - 0.1 / 1.1));
    const xAcc = temp - (0.05 * thetaAcc) / 1.1;
    expect(state.length).toBe(4);
    expect(result.observation[0]).toBe(0);
    expect(result.observation[1]).toBeCloseTo(0.02 * xAcc, 6);
    expect(result.observation[2]).toBe(0);
    expect(result.observation[3]).toBeCloseTo(0.02 * thetaAcc, 6);
    expect(result.reward).toBe(1);
  });

  it("terminates when the pole passes 12 degrees", () => {
    const env = new CartPole();
    env.reset(1);
    let steps = 0;
    let last;
    do {
      last = env.step(1);
      steps += 1;
    } while (!last.terminated && !last.truncated);
    expect(last.terminated).toBe(true);
    expect(last.truncated).toBe(false);
    expect(Math.abs(last.observation[2])).toBeGreaterThan(cartPoleConstants.thetaThreshold);
    expect(steps).toBeLessThan(50);
  });

  it("truncates at 500 steps without terminating", () => {
    const env = new CartPole();
    env.reset(1);
    // Keep the state upright by resetting it each step; only the step counter advances.
    let result;
    for (let i = 0; i < 500; i++) {
      Object.assign(env, { state: new Float64Array([0, 0, 0, 0]) });
      result = env.step(i % 2);
    }
    expect(result!.truncated).toBe(true);
    expect(result!.terminated).toBe(false);
  });
});
