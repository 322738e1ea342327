/**
 * LSTM predictor (TensorFlow.js): the last `contextLength` keys, one-hot encoded, feed one
 * LSTM layer and a dense layer scoring every key. One-hot input replaces an embedding layer
 * because the gradient of an embedding needs the UnsortedSegmentSum kernel, which the wasm
 * backend of TensorFlow.js 4.22 does not have. It trains online: every `trainEvery` accesses it
 * takes `stepsPerTrain` Adam steps on the most recent (context, next key) pairs.
 *
 * Training uses `optimizer.minimize`, which runs synchronously, so the predictor fits inside
 * a simulation step. Every tensor is created inside `tf.tidy` or disposed explicitly.
 * Call `prefetchBackend()` once before constructing one.
 */
import * as tf from "@tensorflow/tfjs";
import { topKeys, type AccessPredictor } from "./predictor.js";

/** Settings of the LSTM predictor. */
export interface LstmSettings {
  /** Number of preceding keys in the model's input; default 8. */
  contextLength: number;
  /** LSTM units; default 32. */
  units: number;
  /** Accesses between training rounds; default 64. */
  trainEvery: number;
  /** Adam steps per training round; default 2. */
  stepsPerTrain: number;
  /** Most recent pairs per training batch; default 64. */
  batchSize: number;
  /** Adam learning rate; default 0.01. */
  learningRate: number;
  /** Seed of the weight initialisers; default 1. */
  seed: number;
}

/** Defaults of `LstmSettings`. */
export const lstmDefaults: LstmSettings = {
  contextLength: 8,
  units: 32,
  trainEvery: 64,
  stepsPerTrain: 2,
  batchSize: 64,
  learningRate: 0.01,
  seed: 1,
};

/** An online-trained LSTM over a fixed key space. */
export class LstmPredictor implements AccessPredictor {
  readonly name = "lstm";
  private readonly settings: LstmSettings;
  private readonly model: tf.Sequential;
  private readonly optimizer: tf.AdamOptimizer;
  private readonly history: number[] = [];
  private sinceTraining = 0;

  constructor(
    private readonly keys: number,
    settings: Partial<LstmSettings> = {},
  ) {
    this.settings = { ...lstmDefaults, ...settings };
    const { contextLength, units, seed } = this.settings;
    this.model = tf.sequential({
      layers: [
        tf.layers.lstm({
          inputShape: [contextLength, keys],
          units,
          kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
          recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 2 }),
        }),
        tf.layers.dense({
          units: keys,
          kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 3 }),
        }),
      ],
    });
    this.optimizer = tf.train.adam(this.settings.learningRate);
  }

  observe(key: number): void {
    this.history.push(key);
    // Only the pairs the next batch can use are kept.
    const keep = this.settings.batchSize + this.settings.contextLength + 1;
    if (this.history.length > 2 * keep) this.history.splice(0, this.history.length - keep);
    if (++this.sinceTraining >= this.settings.trainEvery) {
      this.sinceTraining = 0;
      this.train();
    }
  }

  predict(count: number): number[] {
    const length = this.settings.contextLength;
    if (this.history.length < length) return [];
    const context = this.history.slice(-length);
    const logits = tf.tidy(() => {
      const input = tf.oneHot(tf.tensor2d([context], [1, length], "int32"), this.keys);
      return (this.model.predict(input) as tf.Tensor).dataSync();
    });
    // Logits rank like probabilities; shift them positive for topKeys.
    const minimum = Math.min(...logits);
    return topKeys(
      logits.map((value) => value - minimum + 1e-9),
      count,
    );
  }

  dispose(): void {
    this.model.dispose();
    this.optimizer.dispose();
  }

  private train(): void {
    const { contextLength, batchSize, stepsPerTrain } = this.settings;
    const contexts: number[][] = [];
    const targets: number[] = [];
    for (
      let end = this.history.length - 1;
      end >= contextLength && contexts.length < batchSize;
      end--
    ) {
      contexts.push(this.history.slice(end - contextLength, end));
      targets.push(this.history[end]);
    }
    if (contexts.length === 0) return;

    tf.tidy(() => {
      const indices = tf.tensor2d(contexts, [contexts.length, contextLength], "int32");
      const input = tf.oneHot(indices, this.keys);
      const labels = tf.oneHot(tf.tensor1d(targets, "int32"), this.keys);
      for (let step = 0; step < stepsPerTrain; step++) {
        const cost = this.optimizer.minimize(() => {
          const logits = this.model.apply(input, { training: true }) as tf.Tensor;
          return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
        }, true);
        cost?.dispose();
      }
    });
  }
}
