/**
 * The environment interface the agents train against, shaped like Gymnasium's `Env`:
 * `reset(seed)` starts an episode and `step(action)` advances it by one decision.
 */
import type { Spaces } from "./spaces.js";

/** Outcome of one `step`. */
export interface StepResult {
  observation: Float32Array;
  reward: number;
  /** The episode reached a terminal state of the task; its value after this step is zero. */
  terminated: boolean;
  /**
   * The episode was cut for a reason outside the task, such as a time limit. The state still
   * has a value, so value targets bootstrap from `observation`.
   */
  truncated: boolean;
  /** Numeric diagnostics of the step, keyed by name (for example `"cost_usd"`). */
  info: Record<string, number>;
}

/** A reinforcement-learning environment with a fixed observation and action space. */
export interface Env {
  readonly spaces: Spaces;
  /** Starts a new episode, seeded when `seed` is given, and returns its first observation. */
  reset(seed?: number): Float32Array;
  /** Applies `action`, an integer in [0, spaces.action.n), and returns the step's outcome. */
  step(action: number): StepResult;
}
