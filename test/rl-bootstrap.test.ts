import { describe, expect, it } from "vitest";
import { CartPole } from "../agents/cartpole.js";
import { VecEnv } from "../agents/common/vec-env.js";
import { qTargets } from "../agents/dqn/targets.js";
import { computeGae } from "../agents/ppo/gae.js";

describe("GAE at episode ends", () => {
  // One environment, one step, reward 1, value 2, gamma 0.9, lambda 0.95.
  const base = {
    envs: 1,
    steps: 1,
    rewards: Float64Array.of(1),
    values: Float64Array.of(2),
    episodeEnds: Uint8Array.of(1),
  };

  it("bootstraps a truncated step from the final observation's value", () => {
    const { returns } = computeGae({ ...base, nextValues: Float64Array.of(10) }, 0.9, 0.95);
    expect(returns[0]).toBeCloseTo(1 + 0.9 * 10, 12);
  });

  it("gives a terminated step no future value", () => {
    const { returns } = computeGae({ ...base, nextValues: Float64Array.of(0) }, 0.9, 0.95);
    expect(returns[0]).toBeCloseTo(1, 12);
  });

  it("stops the advantage at an episode boundary", () => {
    // Two steps of one environment: the first ends an episode, so the second's advantage
    // must not flow into it.
    const rollout = {
      envs: 1,
      steps: 2,
      rewards: Float64Array.of(0, 5),
      values: Float64Array.of(0, 0),
      nextValues: Float64Array.of(0, 0),
      episodeEnds: Uint8Array.of(1, 0),
    };
    const { advantages } = computeGae(rollout, 0.99, 0.95);
    expect(advantages[0]).toBe(0);
    expect(advantages[1]).toBe(5);
  });

  it("matches the discounted sum within an episode", () => {
    const rollout = {
      envs: 1,
      steps: 3,
      rewards: Float64Array.of(1, 1, 1),
      values: Float64Array.of(0, 0, 0),
      nextValues: Float64Array.of(0, 0, 0),
      episodeEnds: Uint8Array.of(0, 0, 0),
    };
    // With zero values and lambda 1, the advantage is the discounted return.
    const { advantages } = computeGae(rollout, 0.5, 1);
    expect(advantages[0]).toBeCloseTo(1 + 0.5 + 0.25, 12);
  });
});

describe("DQN targets at episode ends", () => {
  // Two rows, two actions: next Q of the online net [1, 3], of the target net [7, 5].
  const online = Float32Array.of(1, 3, 1, 3);
  const target = Float32Array.of(7, 5, 7, 5);

  it("bootstraps an unterminated row and zeroes a terminated one", () => {
    const targets = qTargets([1, 1], [0, 1], online, target, 2, 0.5, true);
    expect(targets[0]).toBeCloseTo(1 + 0.5 * 5, 6);
    expect(targets[1]).toBe(1);
  });

  it("lets the online network choose the action in double DQN", () => {
    const double = qTargets([0], [0], online, target, 2, 1, true);
    const plain = qTargets([0], [0], online, target, 2, 1, false);
    expect(double[0]).toBe(5);
    expect(plain[0]).toBe(7);
  });
});

describe("VecEnv", () => {
  it("returns the final observation of a finished episode and resets", () => {
    const vec = new VecEnv([new CartPole()]);
    vec.reset(0);
    let result;
    do result = vec.step([1]);
    while (!result.terminated[0] && !result.truncated[0]);
    const final = result.finalObservations[0];
    expect(final).not.toBeNull();
    expect(Math.abs(final![2])).toBeGreaterThan(0.2);
    // The next observation starts a fresh episode inside U(-0.05, 0.05).
    for (const value of result.observations[0])
      expect(Math.abs(value)).toBeLessThanOrEqual(Math.fround(0.05));
    expect(vec.takeEpisodes()).toHaveLength(1);
  });
});
