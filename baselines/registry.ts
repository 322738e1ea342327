/** The baseline allocators by name, as the CLI's `--policy` flag accepts them. */
import { UserInputError } from "../framework/runtime/user-input-error.js";
import type { AllocatorFactory } from "../sim/allocation.js";
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

/** Returns the factories for a comma-separated list of policy names. */
export function resolvePolicies(names: readonly string[]): [string, AllocatorFactory][] {
  return names.map((name) => {
    const factory = baselines.get(name);
    if (factory === undefined) {
      throw new UserInputError(
        `unknown policy "${name}": expected one of ${[...baselines.keys()].join(", ")}`,
      );
    }
    return [name, factory];
  });
}
