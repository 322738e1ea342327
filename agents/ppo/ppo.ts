/**
 * Proximal policy optimisation with a clipped surrogate objective (Schulman et al., 2017,
 * "Proximal policy optimization algorithms", eq. 7 and algorithm 1) for discrete actions.
 * Rollouts come from a vector of environments and advantages from GAE. Each rollout gets
 * several epochs of minibatch updates of a loss with a value term and an entropy bonus, with
 * gradients clipped by global norm and observations normalised by running statistics.
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
import { RunningMeanStd, type RunningMeanStdState } from "../common/running-stats.js";
import type { Spaces } from "../common/spaces.js";
import { argmax, type TrainOptions } from "../common/training.js";
import type { VecEnv } from "../common/vec-env.js";
import { computeGae } from "./gae.js";
import { ppoBatchSizes, type PpoHyperparameters } from "./hyperparameters.js";

/** Everything needed to resume training or to act: networks, statistics, optimizer, counters. */
export interface PpoState {
  algorithm: "ppo";
  hyperparameters: PpoHyperparameters;
  seed: number;
  steps: number;
  updates: number;
  policy: MlpWeights;
  value: MlpWeights;
  observationStats: RunningMeanStdState | null;
  optimizer: OptimizerState | null;
}

/** One rollout's buffers, step-major (entry `t * envs + i`). */
interface Rollout {
  observations: Float32Array[];
  actions: Int32Array;
  logProbs: Float64Array;
  values: Float64Array;
  nextValues: Float64Array;
  rewards: Float64Array;
  episodeEnds: Uint8Array;
}

/** A PPO agent with separate policy and value networks. */
export class PpoAgent {
  readonly policy: Mlp;
  readonly value: Mlp;
  readonly observationStats: RunningMeanStd | null;
  readonly optimizer: SchedulableAdam;
  steps = 0;
  updates = 0;
  private random: RandomStream;

  constructor(
    readonly spaces: Spaces,
    readonly hyperparameters: PpoHyperparameters,
    readonly seed: number,
  ) {
    const init = new RandomStream(deriveSeed(seed, "ppo/init"));
    const inputs = spaces.observation.size;
    const hidden = hyperparameters.hiddenSizes;
    this.policy = new Mlp([inputs, ...hidden, spaces.action.n], "tanh", init, 0.01);
    this.value = new Mlp([inputs, ...hidden, 1], "tanh", init, 1);
    this.observationStats = hyperparameters.normalizeObservations
      ? new RunningMeanStd(inputs)
      : null;
    this.optimizer = new SchedulableAdam(hyperparameters.learningRate, 1e-5);
    this.random = new RandomStream(deriveSeed(seed, "ppo/actions"));
  }

  /** Returns the greedy action for each observation (evaluation mode). */
  actGreedy(observations: readonly Float32Array[]): number[] {
    const logits = this.policyLogits(observations);
    const n = this.spaces.action.n;
    return observations.map((_, i) => argmax(logits.subarray(i * n, (i + 1) * n)));
  }

  /** Returns the action probabilities for each observation, row-major [batch, actions]. */
  actionProbabilities(observations: readonly Float32Array[]): Float32Array {
    const x = this.normalizedBatch(observations);
    return tf.tidy(() => tf.softmax(this.policy.apply(x)).dataSync() as Float32Array);
  }

  /** Trains on `env` until `options.totalSteps` environment steps have been taken. */
  async train(env: VecEnv, options: TrainOptions): Promise<void> {
    const hyper = this.hyperparameters;
    const { batch } = ppoBatchSizes(hyper);
    if (env.size !== hyper.envs) {
      throw new Error(`PPO expects ${hyper.envs} environments, the vector has ${env.size}`);
    }
    let observations = env.reset(options.resetSeed);

    while (this.steps + batch <= options.totalSteps) {
      if (hyper.annealLearningRate) {
        const remaining = 1 - this.steps / options.totalSteps;
        this.optimizer.setLearningRate(hyper.learningRate * remaining);
      }
      const started = performance.now();
      const { rollout, last } = this.collectRollout(env, observations);
      observations = last;
      const collectedMs = performance.now() - started;
      const metrics = this.update(rollout);
      this.updates += 1;

      metrics["time/env_steps_per_sec"] = batch / (collectedMs / 1000);
      metrics["time/update_ms"] = performance.now() - started - collectedMs;
      const stop = await options.onProgress?.({
        steps: this.steps,
        episodes: env.takeEpisodes(),
        metrics,
      });
      if (stop === true) return;
    }
  }

  /** Runs the current policy for `rolloutSteps` steps in every environment. */
  private collectRollout(
    env: VecEnv,
    first: Float32Array[],
  ): { rollout: Rollout; last: Float32Array[] } {
    const { envs, rolloutSteps } = this.hyperparameters;
    const size = envs * rolloutSteps;
    const rollout: Rollout = {
      observations: new Array(size),
      actions: new Int32Array(size),
      logProbs: new Float64Array(size),
      values: new Float64Array(size),
      nextValues: new Float64Array(size),
      rewards: new Float64Array(size),
      episodeEnds: new Uint8Array(size),
    };

    let observations = first;
    for (let t = 0; t < rolloutSteps; t++) {
      this.observationStats?.update(observations);
      const normalized = observations.map((o) => this.normalize(o));
      const { probabilities, values } = this.evaluate(normalized);
      const actions = new Array<number>(envs);
      for (let i = 0; i < envs; i++) {
        const k = t * envs + i;
        const n = this.spaces.action.n;
        const row = probabilities.subarray(i * n, (i + 1) * n);
        actions[i] = this.sampleAction(row);
        rollout.observations[k] = normalized[i];
        rollout.actions[k] = actions[i];
        rollout.logProbs[k] = Math.log(Math.max(row[actions[i]], 1e-12));
        rollout.values[k] = values[i];
        // The previous step's successor is this observation, unless its episode ended.
        if (t > 0 && !rollout.episodeEnds[k - envs]) rollout.nextValues[k - envs] = values[i];
      }

      const result = env.step(actions);
      this.steps += envs;
      const truncatedFinals: { k: number; observation: Float32Array }[] = [];
      for (let i = 0; i < envs; i++) {
        const k = t * envs + i;
        rollout.rewards[k] = result.rewards[i];
        rollout.episodeEnds[k] = result.terminated[i] || result.truncated[i] ? 1 : 0;
        // A terminal state is worth zero; a truncated one is worth the critic's estimate.
        if (result.truncated[i] && !result.terminated[i]) {
          truncatedFinals.push({ k, observation: result.finalObservations[i]! });
        }
      }
      if (truncatedFinals.length > 0) {
        const finals = truncatedFinals.map(({ observation }) => this.normalize(observation));
        const finalValues = this.evaluate(finals).values;
        truncatedFinals.forEach(({ k }, j) => (rollout.nextValues[k] = finalValues[j]));
      }
      observations = result.observations;
    }

    // Bootstrap the rollout's last step from the observation the next rollout starts with.
    const lastValues = this.evaluate(observations.map((o) => this.normalize(o))).values;
    const lastRow = (rolloutSteps - 1) * envs;
    for (let i = 0; i < envs; i++) {
      if (!rollout.episodeEnds[lastRow + i]) rollout.nextValues[lastRow + i] = lastValues[i];
    }
    return { rollout, last: observations };
  }

  /** Runs epochs of minibatch updates on one rollout and returns mean diagnostics. */
  private update(rollout: Rollout): Record<string, number> {
    const hyper = this.hyperparameters;
    const { batch, minibatch } = ppoBatchSizes(hyper);
    const { advantages, returns } = computeGae(
      { envs: hyper.envs, steps: hyper.rolloutSteps, ...rollout },
      hyper.gamma,
      hyper.gaeLambda,
    );

    const sums = { policy: 0, value: 0, entropy: 0, kl: 0, clipped: 0, gradNorm: 0 };
    let count = 0;
    const indices = Uint32Array.from({ length: batch }, (_, i) => i);
    for (let epoch = 0; epoch < hyper.epochs; epoch++) {
      this.shuffle(indices);
      for (let start = 0; start < batch; start += minibatch) {
        const minibatchIndices = indices.subarray(start, start + minibatch);
        const step = this.minibatchStep(rollout, advantages, returns, minibatchIndices);
        sums.policy += step.policyLoss;
        sums.value += step.valueLoss;
        sums.entropy += step.entropy;
        sums.kl += step.approxKl;
        sums.clipped += step.clipFraction;
        sums.gradNorm += step.gradNorm;
        count += 1;
      }
    }
    return {
      "train/policy_loss": sums.policy / count,
      "train/value_loss": sums.value / count,
      "train/entropy": sums.entropy / count,
      "train/approx_kl": sums.kl / count,
      "train/clip_fraction": sums.clipped / count,
      "train/grad_norm": sums.gradNorm / count,
      "train/learning_rate": this.currentLearningRate(),
    };
  }

  /** One gradient step of the PPO loss on the entries `minibatchIndices` of the rollout. */
  private minibatchStep(
    rollout: Rollout,
    advantages: Float64Array,
    returns: Float64Array,
    minibatchIndices: Uint32Array,
  ) {
    const hyper = this.hyperparameters;
    const size = minibatchIndices.length;
    const features = this.spaces.observation.size;
    const observationData = new Float32Array(size * features);
    const batchAdvantages = new Float32Array(size);
    minibatchIndices.forEach((k, row) => {
      observationData.set(rollout.observations[k], row * features);
      batchAdvantages[row] = advantages[k];
    });
    if (hyper.normalizeAdvantages) standardize(batchAdvantages);

    const observations = tf.tensor2d(observationData, [size, features]);
    const actions = tf.tensor1d(
      Int32Array.from(minibatchIndices, (k) => rollout.actions[k]),
      "int32",
    );
    const oldLogProbs = tf.tensor1d(
      Float32Array.from(minibatchIndices, (k) => rollout.logProbs[k]),
    );
    const advantageTensor = tf.tensor1d(batchAdvantages);
    const returnTensor = tf.tensor1d(Float32Array.from(minibatchIndices, (k) => returns[k]));

    const variables = [...this.policy.variables, ...this.value.variables];
    const step = clippedStep(this.optimizer, variables, hyper.maxGradNorm, () => {
      const logProbsAll = tf.logSoftmax(this.policy.apply(observations));
      const actionMask = tf.oneHot(actions, this.spaces.action.n);
      const logProbs = tf.sum(tf.mul(logProbsAll, actionMask), 1);
      const logRatio = tf.sub(logProbs, oldLogProbs);
      const ratio = tf.exp(logRatio);

      // Clipped surrogate: the pessimistic minimum of the unclipped and clipped objectives.
      const unclipped = tf.mul(ratio, advantageTensor);
      const clippedRatio = tf.clipByValue(ratio, 1 - hyper.clipRange, 1 + hyper.clipRange);
      const policyLoss = tf.neg(
        tf.mean(tf.minimum(unclipped, tf.mul(clippedRatio, advantageTensor))),
      );

      const values = tf.squeeze(this.value.apply(observations), [1]);
      const valueLoss = tf.mul(0.5, tf.mean(tf.square(tf.sub(values, returnTensor))));
      const entropy = tf.mean(tf.neg(tf.sum(tf.mul(tf.exp(logProbsAll), logProbsAll), 1)));
      const total = tf.addN([
        policyLoss,
        tf.mul(hyper.valueCoefficient, valueLoss),
        tf.mul(-hyper.entropyCoefficient, entropy),
      ]) as tf.Scalar;

      // Diagnostics: approximate KL divergence (the low-variance estimator (r - 1) - log r)
      // and the share of entries whose ratio was clipped.
      const approxKl = tf.mean(tf.sub(tf.sub(ratio, 1), logRatio));
      const clipFraction = tf.mean(
        tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), hyper.clipRange), "float32"),
      );
      return {
        total,
        auxiliary: [policyLoss, valueLoss, entropy, approxKl, clipFraction] as tf.Scalar[],
      };
    });
    tf.dispose([observations, actions, oldLogProbs, advantageTensor, returnTensor]);

    const [policyLoss, valueLoss, entropy, approxKl, clipFraction] = step.auxiliary;
    return { policyLoss, valueLoss, entropy, approxKl, clipFraction, gradNorm: step.gradNorm };
  }

  /** Returns action probabilities (row-major) and values of normalised observations. */
  private evaluate(normalized: readonly Float32Array[]): {
    probabilities: Float32Array;
    values: Float32Array;
  } {
    const x = this.stack(normalized);
    const [probabilities, values] = tf.tidy(() => [
      tf.softmax(this.policy.apply(x)).dataSync() as Float32Array,
      this.value.apply(x).dataSync() as Float32Array,
    ]);
    x.dispose();
    return { probabilities, values };
  }

  private policyLogits(observations: readonly Float32Array[]): Float32Array {
    const x = this.normalizedBatch(observations);
    const logits = tf.tidy(() => this.policy.apply(x).dataSync() as Float32Array);
    x.dispose();
    return logits;
  }

  private normalizedBatch(observations: readonly Float32Array[]): tf.Tensor2D {
    return this.stack(observations.map((o) => this.normalize(o)));
  }

  private stack(rows: readonly Float32Array[]): tf.Tensor2D {
    const features = this.spaces.observation.size;
    const data = new Float32Array(rows.length * features);
    rows.forEach((row, i) => data.set(row, i * features));
    return tf.tensor2d(data, [rows.length, features]);
  }

  private normalize(observation: Float32Array): Float32Array {
    return this.observationStats === null
      ? observation
      : this.observationStats.normalize(observation);
  }

  /** Draws an action from a categorical distribution by inverting its cumulative sum. */
  private sampleAction(probabilities: Float32Array): number {
    let u = this.random.uniform();
    for (let a = 0; a < probabilities.length - 1; a++) {
      u -= probabilities[a];
      if (u < 0) return a;
    }
    return probabilities.length - 1;
  }

  /** Fisher-Yates shuffle with the agent's seeded stream. */
  private shuffle(indices: Uint32Array): void {
    for (let i = indices.length - 1; i > 0; i--) {
      const j = this.random.integer(0, i);
      [indices[i], indices[j]] = [indices[j], indices[i]];
    }
  }

  private currentLearningRate(): number {
    return (this.optimizer as unknown as { learningRate: number }).learningRate;
  }

  /** Returns the agent's state for saving; the optimizer moments are read asynchronously. */
  async toState(): Promise<PpoState> {
    return {
      algorithm: "ppo",
      hyperparameters: this.hyperparameters,
      seed: this.seed,
      steps: this.steps,
      updates: this.updates,
      policy: this.policy.toJson(),
      value: this.value.toJson(),
      observationStats: this.observationStats?.toJson() ?? null,
      optimizer: await saveOptimizer(this.optimizer),
    };
  }

  /**
   * Restores a saved state into an agent built with the same spaces and hyperparameters.
   * NOTE: the action-sampling stream restarts from a seed derived from the step count, so a
   * resumed run is reproducible but does not repeat the draws of an uninterrupted one.
   */
  async loadState(state: PpoState): Promise<void> {
    this.policy.load(state.policy);
    this.value.load(state.value);
    if (state.observationStats !== null) this.observationStats?.load(state.observationStats);
    if (state.optimizer !== null && state.optimizer.tensors.length > 0) {
      await loadOptimizer(this.optimizer, state.optimizer);
    }
    this.steps = state.steps;
    this.updates = state.updates;
    this.random = new RandomStream(deriveSeed(this.seed, `ppo/actions/${state.steps}`));
  }

  dispose(): void {
    this.policy.dispose();
    this.value.dispose();
    this.optimizer.dispose();
  }
}

/** Rescales values in place to zero mean and unit standard deviation. */
function standardize(values: Float32Array): void {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let variance = 0;
  for (const v of values) variance += (v - mean) ** 2;
  const std = Math.sqrt(variance / values.length) + 1e-8;
  for (let i = 0; i < values.length; i++) values[i] = (values[i] - mean) / std;
}
