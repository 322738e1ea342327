/**
 * Multi-layer perceptrons as plain TensorFlow.js variables, so the agents control
 * initialisation, copying (target networks) and saving without the layers API. Weights are
 * initialised from a seeded stream on the JavaScript side, so the same seed gives the same
 * initial network on every backend.
 */
import * as tf from "@tensorflow/tfjs";
import type { RandomStream } from "../../sim/random.js";
import type { Activation, MlpWeights } from "./mlp-weights.js";

export type { Activation, MlpWeights } from "./mlp-weights.js";

/** A fully connected network with a linear output layer. */
export class Mlp {
  readonly kernels: tf.Variable[] = [];
  readonly biases: tf.Variable[] = [];

  /**
   * Builds layers of `sizes` (input size first, output size last). Hidden kernels are
   * orthogonal with gain sqrt(2) and the output kernel has gain `outputGain`, the
   * initialisation of common PPO implementations (a small gain keeps the first policy near
   * uniform). Biases start at zero.
   */
  constructor(
    readonly sizes: readonly number[],
    readonly activation: Activation,
    random: RandomStream,
    outputGain = 1,
  ) {
    for (let layer = 0; layer + 1 < sizes.length; layer++) {
      const [inputs, outputs] = [sizes[layer], sizes[layer + 1]];
      const gain = layer + 2 === sizes.length ? outputGain : Math.SQRT2;
      const kernel = orthogonal(inputs, outputs, gain, random);
      this.kernels.push(tf.variable(tf.tensor2d(kernel, [inputs, outputs])));
      this.biases.push(tf.variable(tf.zeros([outputs])));
    }
  }

  /** Trainable variables, kernels and biases interleaved layer by layer. */
  get variables(): tf.Variable[] {
    return this.kernels.flatMap((kernel, i) => [kernel, this.biases[i]]);
  }

  /** Returns the network's output for a batch; call inside `tf.tidy` or a gradient function. */
  apply(input: tf.Tensor2D): tf.Tensor2D {
    let x = input;
    for (let i = 0; i < this.kernels.length; i++) {
      x = tf.add(tf.matMul(x, this.kernels[i] as tf.Tensor2D), this.biases[i]);
      if (i + 1 < this.kernels.length) x = this.activation === "tanh" ? tf.tanh(x) : tf.relu(x);
    }
    return x;
  }

  /** Copies another network's weights into this one (the target-network update). */
  copyFrom(other: Mlp): void {
    other.variables.forEach((variable, i) => this.variables[i].assign(variable));
  }

  /** Moves this network's weights towards another's: `w = tau * other + (1 - tau) * w`. */
  blendFrom(other: Mlp, tau: number): void {
    if (tau >= 1) return this.copyFrom(other);
    const own = this.variables;
    tf.tidy(() => {
      other.variables.forEach((variable, i) => {
        own[i].assign(tf.add(tf.mul(variable, tau), tf.mul(own[i], 1 - tau)));
      });
    });
  }

  toJson(): MlpWeights {
    return {
      activation: this.activation,
      layers: this.kernels.map((kernel, i) => ({
        inputs: kernel.shape[0] as number,
        outputs: kernel.shape[1] as number,
        kernel: Array.from(kernel.dataSync()),
        bias: Array.from(this.biases[i].dataSync()),
      })),
    };
  }

  /** Replaces the weights with saved ones of the same shape. */
  load(weights: MlpWeights): void {
    if (weights.layers.length !== this.kernels.length) {
      throw new Error(
        `saved network has ${weights.layers.length} layers, expected ${this.kernels.length}`,
      );
    }
    weights.layers.forEach((layer, i) => {
      const shape = this.kernels[i].shape;
      if (layer.inputs !== shape[0] || layer.outputs !== shape[1]) {
        throw new Error(
          `saved layer ${i} is ${layer.inputs}x${layer.outputs}, expected ${shape.join("x")}`,
        );
      }
      tf.tidy(() => {
        this.kernels[i].assign(tf.tensor2d(layer.kernel, [layer.inputs, layer.outputs]));
        this.biases[i].assign(tf.tensor1d(layer.bias));
      });
    });
  }

  dispose(): void {
    for (const variable of this.variables) variable.dispose();
  }
}

/**
 * Returns a row-major [rows, cols] matrix with orthonormal columns (or rows, whichever are
 * fewer) times `gain`: Gram-Schmidt on a standard normal matrix (Saxe et al., 2014).
 */
function orthogonal(rows: number, cols: number, gain: number, random: RandomStream): number[] {
  const [count, length] = rows >= cols ? [cols, rows] : [rows, cols];
  const vectors: Float64Array[] = [];
  for (let k = 0; k < count; k++) {
    const v = Float64Array.from({ length }, () => random.normal());
    for (const u of vectors) {
      let dot = 0;
      for (let i = 0; i < length; i++) dot += v[i] * u[i];
      for (let i = 0; i < length; i++) v[i] -= dot * u[i];
    }
    const norm = Math.hypot(...v);
    for (let i = 0; i < length; i++) v[i] /= norm;
    vectors.push(v);
  }
  const matrix = new Array<number>(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      matrix[r * cols + c] = gain * (rows >= cols ? vectors[c][r] : vectors[r][c]);
    }
  }
  return matrix;
}
