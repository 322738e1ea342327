/**
 * Runs a saved policy as an `Allocator` in the simulator. Inference is a plain JavaScript
 * forward pass of the saved weights, because `decide` is synchronous and the simulator must
 * not depend on which TensorFlow.js backend loads. The policy acts greedily: the most probable
 * action for PPO, the highest Q-value for DQN.
 */
import { UserInputError } from "../../framework/runtime/user-input-error.js";
import type { AllocatorFactory } from "../../sim/allocation.js";
import { forwardMlp } from "../common/mlp-weights.js";
import { RunningMeanStd } from "../common/running-stats.js";
import { argmax } from "../common/training.js";
import { readPolicyDir, type AlgorithmName, type SavedPolicy } from "../policy-file.js";
import { actionTarget, allocationFeatures, allocationSpaces } from "./features.js";

/** Returns an allocator factory for a saved policy object. */
export function policyAllocatorFactory(policy: SavedPolicy, name: string): AllocatorFactory {
  const stats =
    policy.observationStats === null ? null : new RunningMeanStd(policy.spaces.observation.size);
  if (stats !== null && policy.observationStats !== null) stats.load(policy.observationStats);

  return (context) => ({
    name,
    decide(observation) {
      const features = allocationFeatures(observation, context);
      const input = stats === null ? features : stats.normalize(features);
      const action = argmax(forwardMlp(policy.policy, input));
      return { targetExecutors: actionTarget(action, observation, context) };
    },
  });
}

/**
 * Loads `dir` as an allocator for `--policy ALGORITHM:DIR`; raises a one-line
 * `UserInputError` when the directory is missing, contains another algorithm, or was trained on
 * other spaces.
 */
export function loadPolicyAllocator(algorithm: AlgorithmName, dir: string): AllocatorFactory {
  const policy = readPolicyDir(dir, allocationSpaces);
  if (policy.algorithm !== algorithm) {
    throw new UserInputError(
      `policy "${dir}" was trained with ${policy.algorithm}, not ${algorithm}: pass ${policy.algorithm}:${dir}`,
    );
  }
  return policyAllocatorFactory(policy, `${algorithm}:${dir}`);
}
