/** The baseline allocators by name, as the CLI's `--policy` flag accepts them. */
import { UserInputError } from "../framework/runtime/user-input-error.js";
import type { AllocatorFactory } from "../sim/allocation.js";
import { loadPolicyAllocator } from "../agents/allocation/policy-allocator.js";
import { oracle } from "./oracle.js";
import { predictive } from "./predictive.js";
import { sparkDynamic } from "./spark-dynamic.js";
import { staticMean, staticPeak } from "./static.js";
import { threshold } from "./threshold.js";

/** Every baseline, in the order tables list them; static-peak first as the cost reference. */
export const baselines: ReadonlyMap<string, AllocatorFactory> = new Map<string, AllocatorFactory>([
  ["static-peak", staticPeak],
  ["static-mean", staticMean],
  ["threshold", (context) => threshold(context)],
  ["spark-dynamic", (context) => sparkDynamic(context)],
  ["predictive", (context) => predictive(context)],
  ["oracle", oracle],
]);

/** Trained policies: `ppo:DIR` and `dqn:DIR` load a directory written by `npm run train`. */
const trainedPolicyPattern = /^(ppo|dqn):(.+)$/;

/** Returns the factories for a list of baseline names and `ppo:DIR` / `dqn:DIR` policies. */
export function resolvePolicies(names: readonly string[]): [string, AllocatorFactory][] {
  return names.map((name) => {
    const trained = trainedPolicyPattern.exec(name);
    if (trained !== null) {
      return [name, loadPolicyAllocator(trained[1] as "ppo" | "dqn", trained[2])];
    }
    const factory = baselines.get(name);
    if (factory === undefined) {
      throw new UserInputError(
        `unknown policy "${name}": expected one of ${[...baselines.keys()].join(", ")}`,
      );
    }
    return [name, factory];
  });
}
