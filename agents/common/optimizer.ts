/**
 * Adam with a settable step size, gradient clipping by global norm, and saving of the
 * optimizer's moments so a resumed run continues with the same optimizer state.
 */
import * as tf from "@tensorflow/tfjs";

/** Adam whose step size can change between updates (for linear annealing). */
export class SchedulableAdam extends tf.AdamOptimizer {
  constructor(learningRate: number, epsilon: number) {
    super(learningRate, 0.9, 0.999, epsilon);
  }

  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
  }
}

/**
 * Computes the gradients of `loss` with respect to `variables`, scales them so their global
 * L2 norm is at most `maxNorm`, applies them, and returns the loss and the norm before
 * clipping. `loss` may return auxiliary scalars, returned as numbers in the same order.
 */
export function clippedStep(
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  maxNorm: number,
  loss: () => { total: tf.Scalar; auxiliary: tf.Scalar[] },
): { loss: number; gradNorm: number; auxiliary: number[] } {
  let auxiliary: tf.Scalar[] = [];
  const { value, grads } = tf.variableGrads(() => {
    const result = loss();
    auxiliary = result.auxiliary.map((scalar) => tf.keep(scalar));
    return result.total;
  }, variables);

  const names = Object.keys(grads);
  const norm = tf.tidy(() => tf.sqrt(tf.addN(names.map((name) => tf.sum(tf.square(grads[name]))))));
  const gradNorm = norm.dataSync()[0];
  const scale = Math.min(1, maxNorm / (gradNorm + 1e-6));
  const clipped: tf.NamedTensorMap = {};
  for (const name of names) clipped[name] = tf.mul(grads[name], scale);
  optimizer.applyGradients(clipped);

  const lossValue = value.dataSync()[0];
  const auxiliaryValues = auxiliary.map((scalar) => scalar.dataSync()[0]);
  tf.dispose([value, norm, ...Object.values(grads), ...Object.values(clipped), ...auxiliary]);
  return { loss: lossValue, gradNorm, auxiliary: auxiliaryValues };
}

/** Optimizer state as plain arrays, in the optimizer's own order. */
export interface OptimizerState {
  tensors: { shape: number[]; values: number[] }[];
}

export async function saveOptimizer(optimizer: tf.Optimizer): Promise<OptimizerState> {
  const weights = await optimizer.getWeights();
  const tensors = weights.map(({ tensor }) => ({
    shape: tensor.shape,
    values: Array.from(tensor.dataSync()),
  }));
  return { tensors };
}

/**
 * Restores saved moments into an optimizer. The optimizer matches them to variables by
 * position, so the variables must be passed to `clippedStep` in the order they were saved.
 */
export async function loadOptimizer(optimizer: tf.Optimizer, state: OptimizerState): Promise<void> {
  const named = state.tensors.map((saved, i) => ({
    name: `saved-${i}`,
    tensor: tf.tensor(saved.values, saved.shape),
  }));
  await optimizer.setWeights(named);
  tf.dispose(named.map(({ tensor }) => tensor));
}
