/**
 * Generalised advantage estimation (Schulman et al., 2016, "High-dimensional continuous
 * control using generalized advantage estimation", eq. 16) over a rollout of a vector of
 * environments, with termination and truncation distinguished: a terminal state is worth zero,
 * while a state cut by a time limit is worth the critic's value of its last observation.
 */

/** One rollout, stored step-major: entry `t * envs + i` is step t of environment i. */
export interface RolloutValues {
  envs: number;
  steps: number;
  rewards: Float64Array;
  /** Critic value of the observation each step acted on. */
  values: Float64Array;
  /**
   * Value of the state after each step: the critic's value of the next observation, of the
   * final observation after a truncation, and 0 after a termination.
   */
  nextValues: Float64Array;
  /** Whether the episode ended at this step, by termination or truncation. */
  episodeEnds: Uint8Array;
}

/** Returns the advantages and the value targets (advantage plus value) of every entry. */
export function computeGae(
  rollout: RolloutValues,
  gamma: number,
  lambda: number,
): { advantages: Float64Array; returns: Float64Array } {
  const { envs, steps, rewards, values, nextValues, episodeEnds } = rollout;
  const advantages = new Float64Array(envs * steps);
  for (let i = 0; i < envs; i++) {
    let next = 0;
    for (let t = steps - 1; t >= 0; t--) {
      const k = t * envs + i;
      const delta = rewards[k] + gamma * nextValues[k] - values[k];
      // The advantage does not flow back across an episode boundary.
      next = delta + (episodeEnds[k] ? 0 : gamma * lambda * next);
      advantages[k] = next;
    }
  }
  const returns = advantages.map((advantage, k) => advantage + values[k]);
  return { advantages, returns };
}
