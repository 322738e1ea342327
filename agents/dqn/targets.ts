/**
 * Q-learning targets. With double DQN (van Hasselt, Guez and Silver, 2016, eq. 4) the online
 * network picks the next action and the target network values it; plain DQN (Mnih et al.,
 * 2015) takes the target network's maximum. Terminated transitions have no future value;
 * truncated ones are not marked terminated, so their targets bootstrap.
 */

/**
 * Returns `r + gamma * (1 - terminated) * Q_target(s', a*)` per row. `nextOnlineQ` and
 * `nextTargetQ` are row-major [batch, actions].
 */
export function qTargets(
  rewards: ArrayLike<number>,
  terminated: ArrayLike<number>,
  nextOnlineQ: ArrayLike<number>,
  nextTargetQ: ArrayLike<number>,
  actions: number,
  gamma: number,
  isDouble: boolean,
): Float32Array {
  const targets = new Float32Array(rewards.length);
  for (let row = 0; row < rewards.length; row++) {
    const base = row * actions;
    let chosen = 0;
    const ranking = isDouble ? nextOnlineQ : nextTargetQ;
    for (let a = 1; a < actions; a++) if (ranking[base + a] > ranking[base + chosen]) chosen = a;
    const future = terminated[row] ? 0 : nextTargetQ[base + chosen];
    targets[row] = rewards[row] + gamma * future;
  }
  return targets;
}
