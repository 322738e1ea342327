/**
 * Types shared by the agents' training loops: the progress report after each update and the
 * options of a training run.
 */
import type { EpisodeRecord } from "./vec-env.js";

/** Reported after every update of an agent. */
export interface TrainingProgress {
  /** Environment steps taken so far, over all environments, including resumed ones. */
  steps: number;
  /** Episodes finished since the previous report. */
  episodes: EpisodeRecord[];
  /** Scalar diagnostics under slash-namespaced keys, for example `train/policy_loss`. */
  metrics: Record<string, number>;
}

/** Options of one call to an agent's `train`. */
export interface TrainOptions {
  /** Environment steps at which training stops, counted from the agent's first step. */
  totalSteps: number;
  /** Seed of the first environment reset. */
  resetSeed: number;
  /** Called after every update; returning true stops training early. */
  onProgress?: (progress: TrainingProgress) => boolean | void | Promise<boolean | void>;
}

/** Returns the index of the largest entry. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
