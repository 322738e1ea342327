/**
 * The input flags `npm run sim` and `npm run live` share: `--trace FILE`, `--descriptor FILE`
 * and `--skip-bad-rows` choose between the scenario's calibrated generator and a real trace.
 */
import { existsSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Options } from "yargs";
import { UserInputError } from "../framework/runtime/user-input-error.js";
import type { ScenarioConfig } from "../scenarios/scenario.js";
import { repoPath } from "../scenarios/trace-paths.js";
import { generatorSource, traceSource, type WorkloadSource } from "../scenarios/workload-source.js";

/** yargs definitions of the input flags. */
export const workloadOptions = {
  trace: {
    type: "string",
    describe: "replay this real CSV trace instead of the calibrated generator",
  },
  descriptor: {
    type: "string",
    describe:
      "trace descriptor JSON for --trace (default: the scenario's shipped one for that file)",
  },
  "skip-bad-rows": {
    type: "boolean",
    default: false,
    describe: "skip and count malformed trace rows instead of stopping",
  },
} as const satisfies Record<string, Options>;

/**
 * Picks the generator, or the real trace given with `--trace` and its descriptor. The generator
 * also produces the `startOffsetUs` that precedes the run, since the workload builder skips it.
 */
export function resolveSource(
  config: ScenarioConfig,
  args: Record<string, unknown>,
): WorkloadSource {
  if (typeof args.trace !== "string") {
    if (args.descriptor !== undefined)
      throw new UserInputError("--descriptor needs --trace FILE: pass the trace it describes");
    return generatorSource({
      ...config,
      durationUs: config.durationUs + (config.startOffsetUs ?? 0),
    });
  }
  const tracePath = resolve(args.trace);
  if (!existsSync(tracePath))
    throw new UserInputError(`trace "${args.trace}" not found: pass an existing CSV file`);
  if (!statSync(tracePath).isFile())
    throw new UserInputError(`trace "${args.trace}" is not a file: pass a CSV file`);

  // A trace file listed in the scenario gets its shipped descriptor and label windows.
  const known = config.traces.find((trace) => basename(trace.file) === basename(tracePath));
  let descriptorPath: string;
  if (typeof args.descriptor === "string") descriptorPath = resolve(args.descriptor);
  else if (known !== undefined) descriptorPath = repoPath(known.descriptor);
  else {
    throw new UserInputError(
      `no descriptor for trace "${args.trace}": pass --descriptor FILE (see scenarios/descriptors/ for examples)`,
    );
  }
  const labelsPath =
    known?.labels === undefined ? undefined : join(dirname(tracePath), basename(known.labels.file));
  return traceSource(config, {
    tracePath,
    descriptorPath,
    skipBadRows: Boolean(args["skip-bad-rows"]),
    nabLabels:
      labelsPath !== undefined && existsSync(labelsPath)
        ? { path: labelsPath, key: known!.labels!.key }
        : undefined,
  });
}
