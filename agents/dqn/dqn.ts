/**
 * Deep Q-learning (Mnih et al., 2015, "Human-level control through deep reinforcement
 * learning", algorithm 1) for discrete actions: epsilon-greedy exploration on a linear
 * schedule, a replay buffer, a target network copied at a fixed interval, the Huber loss, and
 * double-DQN targets. Several environments may be stepped together with one batched forward
 * pass per step.
 */
import * as tf from "@tensorflow/tfjs";
import { deriveSeed, RandomStream } from "../../sim/random.js";
import { Mlp, type MlpWeights } from "../common/mlp.js";
import {
  clippedStep,
  loadOptimizer,
  saveOptimizer,
  SchedulableAdam,
  type OptimizerState,
} from "../common/optimizer.js";
import type { Spaces } from "../common/spaces.js";
import { argmax, type TrainOptions } from "../common/training.js";
import type { VecEnv } from "../common/vec-env.js";
import { explorationRate, type DqnHyperparameters } from "./hyperparameters.js";
import { ReplayBuffer, type TransitionBatch } from "./replay-buffer.js";
import { qTargets } from "./targets.js";

/** Everything needed to act or to resume training, except the replay buffer's contents. */
export interface DqnState {
  algorithm: "dqn";
  hyperparameters: DqnHyperparameters;
  seed: number;
  steps: number;
  updates: number;
  /** The online Q-network; the target network is rebuilt from it on resume. */
  policy: MlpWeights;
  observationStats: null;
  optimizer: OptimizerState | null;
}

/** Environment steps between progress reports. */
const reportIntervalSteps = 1_000;

export class DqnAgent {
  readonly online: Mlp;
  readonly target: Mlp;
  readonly optimizer: SchedulableAdam;
  readonly buffer: ReplayBuffer;
  steps = 0;
  updates = 0;
  private random: RandomStream;

  constructor(
    readonly spaces: Spaces,
    readonly hyperparameters: DqnHyperparameters,
    readonly seed: number,
  ) {
    const init = new RandomStream(deriveSeed(seed, "dqn/init"));
    const sizes = [spaces.observation.size, ...hyperparameters.hiddenSizes, spaces.action.n];
    this.online = new Mlp(sizes, "relu", init, 1);
    this.target = new Mlp(sizes, "relu", init, 1);
    this.target.copyFrom(this.online);
    this.optimizer = new SchedulableAdam(hyperparameters.learningRate, 1e-8);
    this.buffer = new ReplayBuffer(hyperparameters.bufferSize, spaces.observation.size);
    this.random = new RandomStream(deriveSeed(seed, "dqn/actions"));
  }

  /** Returns the greedy action for each observation. */
  actGreedy(observations: readonly Float32Array[]): number[] {
    const q = this.qValues(observations);
    const n = this.spaces.action.n;
    return observations.map((_, i) => argmax(q.subarray(i * n, (i + 1) * n)));
  }

  /** Trains on `env` until `options.totalSteps` environment steps have been taken. */
  async train(env: VecEnv, options: TrainOptions): Promise<void> {
    const hyper = this.hyperparameters;
    if (env.size !== hyper.envs) {
      throw new Error(`DQN expects ${hyper.envs} environments, the vector has ${env.size}`);
    }
    let observations = env.reset(options.resetSeed);
    let lastReport = this.steps;
    let lastTrain = this.steps;
    let lastTargetUpdate = this.steps;
    let losses: number[] = [];
    let started = performance.now();
    let trainingMs = 0;

    while (this.steps < options.totalSteps) {
      const epsilon = explorationRate(hyper, this.steps, options.totalSteps);
      const actions = this.explore(observations, epsilon);
      const result = env.step(actions);
      for (let i = 0; i < env.size; i++) {
        // A truncated episode's successor is its final observation, not the next reset.
        const next = result.finalObservations[i] ?? result.observations[i];
        this.buffer.add(observations[i], actions[i], result.rewards[i], next, result.terminated[i]);
      }
      observations = result.observations;
      this.steps += env.size;

      if (
        this.buffer.size >= hyper.learningStarts &&
        this.steps - lastTrain >= hyper.trainFrequency
      ) {
        lastTrain = this.steps;
        const trainStart = performance.now();
        for (let g = 0; g < hyper.gradientSteps; g++) losses.push(this.gradientStep());
        trainingMs += performance.now() - trainStart;
      }
      if (this.steps - lastTargetUpdate >= hyper.targetUpdateInterval) {
        lastTargetUpdate = this.steps;
        this.target.blendFrom(this.online, hyper.targetUpdateTau);
      }

      if (this.steps - lastReport >= reportIntervalSteps || this.steps >= options.totalSteps) {
        const elapsedMs = performance.now() - started;
        const metrics: Record<string, number> = {
          "train/epsilon": epsilon,
          "train/updates": this.updates,
          "time/env_steps_per_sec":
            (this.steps - lastReport) / (Math.max(1, elapsedMs - trainingMs) / 1000),
        };
        if (losses.length > 0)
          metrics["train/loss"] = losses.reduce((a, b) => a + b) / losses.length;
        const stop = await options.onProgress?.({
          steps: this.steps,
          episodes: env.takeEpisodes(),
          metrics,
        });
        lastReport = this.steps;
        losses = [];
        started = performance.now();
        trainingMs = 0;
        if (stop === true) return;
      }
    }
  }

  /** Epsilon-greedy actions: uniform with probability epsilon, else greedy. */
  private explore(observations: readonly Float32Array[], epsilon: number): number[] {
    const n = this.spaces.action.n;
    const isRandom = observations.map(() => this.random.uniform() < epsilon);
    const greedy = isRandom.every(Boolean) ? [] : this.actGreedy(observations);
    return isRandom.map((random, i) => (random ? this.random.integer(0, n - 1) : greedy[i]));
  }

  /** One gradient step of the Huber loss on a sampled minibatch; returns the loss. */
  private gradientStep(): number {
    const hyper = this.hyperparameters;
    const batch = this.buffer.sample(hyper.batchSize, this.random);
    const targets = this.targetsOf(batch);
    const f = this.spaces.observation.size;

    const observations = tf.tensor2d(batch.observations, [batch.size, f]);
    const actions = tf.tensor1d(batch.actions, "int32");
    const mask = tf.oneHot(actions, this.spaces.action.n);
    const targetTensor = tf.tensor1d(targets);
    const step = clippedStep(this.optimizer, this.online.variables, hyper.maxGradNorm, () => {
      const chosenQ = tf.sum(tf.mul(this.online.apply(observations), mask), 1);
      const total = tf.losses.huberLoss(targetTensor, chosenQ) as tf.Scalar;
      return { total, auxiliary: [] };
    });
    tf.dispose([observations, actions, mask, targetTensor]);
    this.updates += 1;
    return step.loss;
  }

  private targetsOf(batch: TransitionBatch): Float32Array {
    const f = this.spaces.observation.size;
    const next = tf.tensor2d(batch.nextObservations, [batch.size, f]);
    const [onlineQ, targetQ] = tf.tidy(() => [
      this.online.apply(next).dataSync(),
      this.target.apply(next).dataSync(),
    ]);
    next.dispose();
    const h = this.hyperparameters;
    return qTargets(
      batch.rewards,
      batch.terminated,
      onlineQ,
      targetQ,
      this.spaces.action.n,
      h.gamma,
      h.doubleDqn,
    );
  }

  private qValues(observations: readonly Float32Array[]): Float32Array {
    const f = this.spaces.observation.size;
    const data = new Float32Array(observations.length * f);
    observations.forEach((row, i) => data.set(row, i * f));
    return tf.tidy(
      () =>
        this.online.apply(tf.tensor2d(data, [observations.length, f])).dataSync() as Float32Array,
    );
  }

  async toState(): Promise<DqnState> {
    return {
      algorithm: "dqn",
      hyperparameters: this.hyperparameters,
      seed: this.seed,
      steps: this.steps,
      updates: this.updates,
      policy: this.online.toJson(),
      observationStats: null,
      optimizer: await saveOptimizer(this.optimizer),
    };
  }

  /**
   * Restores a saved state. NOTE: the replay buffer is not saved (up to 100,000 transitions),
   * so a resumed run refills it, with learning paused until `learningStarts` new transitions.
   */
  async loadState(state: DqnState): Promise<void> {
    this.online.load(state.policy);
    this.target.copyFrom(this.online);
    if (state.optimizer !== null && state.optimizer.tensors.length > 0) {
      await loadOptimizer(this.optimizer, state.optimizer);
    }
    this.steps = state.steps;
    this.updates = state.updates;
    this.random = new RandomStream(deriveSeed(this.seed, `dqn/actions/${state.steps}`));
  }

  dispose(): void {
    this.online.dispose();
    this.target.dispose();
    this.optimizer.dispose();
  }
}
