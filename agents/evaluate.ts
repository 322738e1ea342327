/**
 * Evaluation of a greedy policy over a fixed number of episodes, stepping several
 * environments together so each step needs one batched forward pass.
 */
import type { Env } from "./common/env.js";

/** Returns of `episodes` evaluation episodes, in the order they finished. */
export function evaluateEpisodes(
  act: (observations: readonly Float32Array[]) => number[],
  makeEnv: () => Env,
  episodes: number,
  seed: number,
  parallel = 10,
): number[] {
  const envs = Array.from({ length: Math.min(parallel, episodes) }, makeEnv);
  let nextSeed = seed;
  let started = 0;
  const observations: (Float32Array | null)[] = envs.map((env) => {
    started += 1;
    return env.reset(nextSeed++);
  });
  const running = new Float64Array(envs.length);
  const returns: number[] = [];

  while (returns.length < episodes) {
    const active = envs.map((_, i) => i).filter((i) => observations[i] !== null);
    const actions = act(active.map((i) => observations[i]!));
    active.forEach((i, j) => {
      const result = envs[i].step(actions[j]);
      running[i] += result.reward;
      observations[i] = result.observation;
      if (result.terminated || result.truncated) {
        returns.push(running[i]);
        running[i] = 0;
        // Start another episode only while some are still owed, so exactly `episodes` run.
        observations[i] = started < episodes ? envs[i].reset(nextSeed++) : null;
        if (observations[i] !== null) started += 1;
      }
    });
  }
  return returns;
}

/** Arithmetic mean; NaN for an empty list. */
export function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}
