/**
 * Hyperparameters with which the agents are benchmarked on CartPole.
 */

/**
 * PPO with the CartPole-v1 settings of RL Baselines3 Zoo (hyperparams/ppo.yml): 8 environments,
 * 32-step rollouts, one 256-transition minibatch for 20 epochs, lambda 0.8, gamma 0.98, step
 * size 1e-3 annealed to zero and no entropy bonus. The zoo also anneals the clip range, which
 * stays at 0.2 here.
 */
import type { DqnHyperparameters } from "./dqn/hyperparameters.js";
import { dqnDefaults } from "./dqn/hyperparameters.js";
import type { PpoHyperparameters } from "./ppo/hyperparameters.js";
import { ppoDefaults } from "./ppo/hyperparameters.js";

export const cartPolePpo: PpoHyperparameters = {
  ...ppoDefaults,
  envs: 8,
  rolloutSteps: 32,
  minibatches: 1,
  epochs: 20,
  gamma: 0.98,
  gaeLambda: 0.8,
  entropyCoefficient: 0,
  learningRate: 1e-3,
};

/**
 * DQN on CartPole: one gradient step every 4 environment steps, a hard target copy every 500
 * steps, step size 1e-3, exploration falling to 2% over the first 10% of the budget. Chosen
 * because the published settings (128 gradient steps every 256 steps on 256-unit layers)
 * were too slow here and unstable with 64-unit layers.
 */
export const cartPoleDqn: DqnHyperparameters = {
  ...dqnDefaults,
  trainFrequency: 4,
  gradientSteps: 1,
  learningRate: 1e-3,
  targetUpdateInterval: 500,
  explorationFraction: 0.1,
  explorationFinal: 0.02,
};
