/**
 * A synchronous vector of environments stepped together, so agents run one batched forward
 * pass per step for all of them. Like Gymnasium's vector environments, an environment whose
 * episode ends is reset at once, and the last observation of the finished episode is returned
 * separately for bootstrapping truncated episodes.
 */
import type { Env } from "./env.js";
import type { Spaces } from "./spaces.js";

/** Outcome of one step of every environment, indexed by environment. */
export interface VecStepResult {
  /** Next observations; for an environment that just finished, the first of its new episode. */
  observations: Float32Array[];
  rewards: Float64Array;
  terminated: boolean[];
  truncated: boolean[];
  /** Last observation of the episode that just finished, or null where none finished. */
  finalObservations: (Float32Array | null)[];
  infos: Record<string, number>[];
}

/** Return and length of one finished episode. */
export interface EpisodeRecord {
  episodeReturn: number;
  length: number;
}

/** Steps `envs` in lockstep and records every finished episode. */
export class VecEnv {
  readonly spaces: Spaces;
  /** Episodes finished since the last `takeEpisodes` call, in finishing order. */
  private finished: EpisodeRecord[] = [];
  private readonly returns: Float64Array;
  private readonly lengths: Uint32Array;
  private nextSeed = 0;

  constructor(readonly envs: readonly Env[]) {
    if (envs.length === 0) throw new Error("a vector environment needs at least one environment");
    this.spaces = envs[0].spaces;
    this.returns = new Float64Array(envs.length);
    this.lengths = new Uint32Array(envs.length);
  }

  get size(): number {
    return this.envs.length;
  }

  /**
   * Resets every environment; environment i gets seed `seed + i`, and later automatic resets
   * continue from `seed + size`, so one seed fixes the whole sequence of episodes.
   */
  reset(seed: number): Float32Array[] {
    this.nextSeed = seed + this.envs.length;
    this.returns.fill(0);
    this.lengths.fill(0);
    return this.envs.map((env, i) => env.reset(seed + i));
  }

  /** Steps environment i with `actions[i]`, resetting those whose episode ended. */
  step(actions: ArrayLike<number>): VecStepResult {
    const n = this.envs.length;
    const result: VecStepResult = {
      observations: new Array(n),
      rewards: new Float64Array(n),
      terminated: new Array(n),
      truncated: new Array(n),
      finalObservations: new Array(n).fill(null),
      infos: new Array(n),
    };
    for (let i = 0; i < n; i++) {
      const outcome = this.envs[i].step(actions[i]);
      result.rewards[i] = outcome.reward;
      result.terminated[i] = outcome.terminated;
      result.truncated[i] = outcome.truncated;
      result.infos[i] = outcome.info;
      this.returns[i] += outcome.reward;
      this.lengths[i] += 1;

      if (outcome.terminated || outcome.truncated) {
        this.finished.push({ episodeReturn: this.returns[i], length: this.lengths[i] });
        this.returns[i] = 0;
        this.lengths[i] = 0;
        result.finalObservations[i] = outcome.observation;
        result.observations[i] = this.envs[i].reset(this.nextSeed++);
      } else {
        result.observations[i] = outcome.observation;
      }
    }
    return result;
  }

  /** Returns the episodes finished since the previous call and clears the list. */
  takeEpisodes(): EpisodeRecord[] {
    const episodes = this.finished;
    this.finished = [];
    return episodes;
  }
}
