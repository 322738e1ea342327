/**
 * The saved form of a multi-layer perceptron and a forward pass over it in plain JavaScript,
 * kept apart from TensorFlow.js so the simulator can run a trained policy without loading it.
 */

export type Activation = "tanh" | "relu";

/** One dense layer's weights; `kernel` is row-major with shape [inputs, outputs]. */
export interface DenseWeights {
  inputs: number;
  outputs: number;
  kernel: number[];
  bias: number[];
}

/** Serialised form of an `Mlp`: hidden layers use `activation`, the output layer is linear. */
export interface MlpWeights {
  activation: Activation;
  layers: DenseWeights[];
}

/**
 * Computes a saved network's output for one input in plain JavaScript (float64), with no
 * TensorFlow.js backend; the simulator's allocators use it because `decide` is synchronous.
 */
export function forwardMlp(weights: MlpWeights, input: ArrayLike<number>): Float64Array {
  let x = Float64Array.from(input);
  weights.layers.forEach((layer, index) => {
    const y = Float64Array.from(layer.bias);
    for (let i = 0; i < layer.inputs; i++) {
      const xi = x[i];
      const row = i * layer.outputs;
      for (let j = 0; j < layer.outputs; j++) y[j] += xi * layer.kernel[row + j];
    }
    if (index + 1 < weights.layers.length) {
      for (let j = 0; j < y.length; j++) {
        y[j] = weights.activation === "tanh" ? Math.tanh(y[j]) : Math.max(0, y[j]);
      }
    }
    x = y;
  });
  return x;
}
