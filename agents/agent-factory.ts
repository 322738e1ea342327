/**
 * Construction of either agent behind one small interface, so the benchmark and the training
 * command treat PPO and DQN alike.
 */
import type { VecEnv } from "./common/vec-env.js";
import type { Spaces } from "./common/spaces.js";
import type { TrainOptions } from "./common/training.js";
import { DqnAgent, type DqnState } from "./dqn/dqn.js";
import type { DqnHyperparameters } from "./dqn/hyperparameters.js";
import { PpoAgent, type PpoState } from "./ppo/ppo.js";
import type { PpoHyperparameters } from "./ppo/hyperparameters.js";
import type { AlgorithmName } from "./policy-file.js";

/** The methods of an agent that the benchmark and the training command use. */
export interface Agent {
  readonly algorithm: AlgorithmName;
  readonly steps: number;
  train(env: VecEnv, options: TrainOptions): Promise<void>;
  actGreedy(observations: readonly Float32Array[]): number[];
  toState(): Promise<PpoState | DqnState>;
  loadState(state: PpoState | DqnState): Promise<void>;
  dispose(): void;
}

export type Hyperparameters = PpoHyperparameters | DqnHyperparameters;

/** Builds a PPO or DQN agent; `hyperparameters` must be complete for that algorithm. */
export function createAgent(
  algorithm: AlgorithmName,
  spaces: Spaces,
  hyperparameters: Hyperparameters,
  seed: number,
): Agent {
  if (algorithm === "ppo") {
    const agent = new PpoAgent(spaces, hyperparameters as PpoHyperparameters, seed);
    const load = agent.loadState.bind(agent);
    return Object.assign(agent, {
      algorithm,
      loadState: (state: PpoState | DqnState) => load(state as PpoState),
    });
  }
  const agent = new DqnAgent(spaces, hyperparameters as DqnHyperparameters, seed);
  const load = agent.loadState.bind(agent);
  return Object.assign(agent, {
    algorithm,
    loadState: (state: PpoState | DqnState) => load(state as DqnState),
  });
}
