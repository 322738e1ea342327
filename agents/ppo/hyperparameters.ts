/**
 * PPO hyperparameters in one typed object with defaults. The defaults are the common
 * settings for small control tasks: 4 environments, 128-step rollouts, 4 epochs of 4
 * minibatches, and Adam at 2.5e-4 annealed to zero. The value and policy networks are separate.
 */
import { UserInputError } from "../../framework/runtime/user-input-error.js";

export interface PpoHyperparameters {
  /** Environments stepped together. Default 4. */
  envs: number;
  /** Steps per environment in each rollout. Default 128. */
  rolloutSteps: number;
  /** Passes over each rollout. Default 4. */
  epochs: number;
  /** Minibatches per epoch; the rollout size must divide evenly. Default 4. */
  minibatches: number;
  /** Adam step size. Default 2.5e-4. */
  learningRate: number;
  /** Anneal the step size linearly to zero over the training budget. Default true. */
  annealLearningRate: boolean;
  /** Discount factor. Default 0.99. */
  gamma: number;
  /** GAE lambda. Default 0.95. */
  gaeLambda: number;
  /** PPO clip range epsilon of the probability ratio. Default 0.2. */
  clipRange: number;
  /** Weight of the value loss. Default 0.5. */
  valueCoefficient: number;
  /** Weight of the entropy bonus. Default 0.01. */
  entropyCoefficient: number;
  /** Maximum global norm of the gradient. Default 0.5. */
  maxGradNorm: number;
  /** Normalise advantages within each minibatch. Default true. */
  normalizeAdvantages: boolean;
  /** Normalise observations with running statistics. Default true. */
  normalizeObservations: boolean;
  /** Hidden layer widths of both networks. Default [64, 64]. */
  hiddenSizes: number[];
}

export const ppoDefaults: PpoHyperparameters = {
  envs: 4,
  rolloutSteps: 128,
  epochs: 4,
  minibatches: 4,
  learningRate: 2.5e-4,
  annealLearningRate: true,
  gamma: 0.99,
  gaeLambda: 0.95,
  clipRange: 0.2,
  valueCoefficient: 0.5,
  entropyCoefficient: 0.01,
  maxGradNorm: 0.5,
  normalizeAdvantages: true,
  normalizeObservations: true,
  hiddenSizes: [64, 64],
};

/**
 * Returns the rollout's size and minibatch size. Raises a `UserInputError` when the
 * minibatches do not divide the rollout, because both come from user-set hyperparameters.
 */
export function ppoBatchSizes(hyper: PpoHyperparameters): { batch: number; minibatch: number } {
  const batch = hyper.envs * hyper.rolloutSteps;
  if (batch % hyper.minibatches !== 0) {
    throw new UserInputError(
      `invalid minibatches ${hyper.minibatches}: the rollout of envs x rolloutSteps = ` +
        `${hyper.envs} x ${hyper.rolloutSteps} = ${batch} transitions does not split evenly`,
    );
  }
  return { batch, minibatch: batch / hyper.minibatches };
}
