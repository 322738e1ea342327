/**
 * DQN hyperparameters in one typed object with defaults. The defaults are sized for small
 * control tasks: a gradient phase of 128 steps every 256 environment steps, exploration
 * falling to 4% over the first 16% of training, and a target copy every 10 steps.
 */

export interface DqnHyperparameters {
  /** Environments stepped together. Default 1. */
  envs: number;
  /** Adam step size. Default 2.3e-3. */
  learningRate: number;
  /** Replay buffer capacity, in transitions. Default 100,000. */
  bufferSize: number;
  /** Transitions collected with random actions before learning starts. Default 1,000. */
  learningStarts: number;
  /** Transitions per gradient step. Default 64. */
  batchSize: number;
  /** Discount factor. Default 0.99. */
  gamma: number;
  /** Environment steps between training phases. Default 256. */
  trainFrequency: number;
  /** Gradient steps per training phase. Default 128. */
  gradientSteps: number;
  /** Environment steps between copies of the online network into the target network. Default 10. */
  targetUpdateInterval: number;
  /**
   * Share of the online weights blended into the target network at each target update:
   * 1 copies them (the original DQN), smaller values give Polyak averaging. Default 1.
   */
  targetUpdateTau: number;
  /** Initial exploration rate epsilon. Default 1. */
  explorationInitial: number;
  /** Final exploration rate. Default 0.04. */
  explorationFinal: number;
  /** Share of the training budget over which epsilon falls linearly. Default 0.16. */
  explorationFraction: number;
  /** Maximum global norm of the gradient. Default 10. */
  maxGradNorm: number;
  /** Use double DQN targets (van Hasselt et al., 2016). Default true. */
  doubleDqn: boolean;
  /** Hidden layer widths of the Q-network. Default [64, 64]. */
  hiddenSizes: number[];
}

export const dqnDefaults: DqnHyperparameters = {
  envs: 1,
  learningRate: 2.3e-3,
  bufferSize: 100_000,
  learningStarts: 1_000,
  batchSize: 64,
  gamma: 0.99,
  trainFrequency: 256,
  gradientSteps: 128,
  targetUpdateInterval: 10,
  targetUpdateTau: 1,
  explorationInitial: 1,
  explorationFinal: 0.04,
  explorationFraction: 0.16,
  maxGradNorm: 10,
  doubleDqn: true,
  hiddenSizes: [64, 64],
};

/** Returns epsilon after `steps` of a `totalSteps` budget: linear, then constant. */
export function explorationRate(
  hyper: DqnHyperparameters,
  steps: number,
  totalSteps: number,
): number {
  const progress = Math.min(1, steps / Math.max(1, hyper.explorationFraction * totalSteps));
  return hyper.explorationInitial + progress * (hyper.explorationFinal - hyper.explorationInitial);
}
