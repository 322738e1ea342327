/**
 * The saved policy directory. `policy.json` contains what acting needs (algorithm, spaces,
 * network weights, observation statistics) and how the policy was made (hyperparameters,
 * reward weights, seed, git commit, backend, training steps). `optimizer.json` contains the
 * optimizer moments that resuming needs. Both are plain JSON, so a policy can be inspected
 * and diffed.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UserInputError } from "../framework/runtime/user-input-error.js";
import type { MlpWeights } from "./common/mlp-weights.js";
import type { OptimizerState } from "./common/optimizer.js";
import type { RunningMeanStdState } from "./common/running-stats.js";
import { spacesDifference, spacesFromJson, spacesToJson, type Spaces } from "./common/spaces.js";

/** Version of the files' layout; a reader rejects other versions. */
export const policyFormatVersion = 1;

export type AlgorithmName = "ppo" | "dqn";

/** Contents of `policy.json`, after parsing. */
export interface SavedPolicy {
  format: number;
  algorithm: AlgorithmName;
  spaces: Spaces;
  /** Network that maps normalised observations to action logits (PPO) or Q-values (DQN). */
  policy: MlpWeights;
  /** PPO's value network; null for DQN. */
  value: MlpWeights | null;
  observationStats: RunningMeanStdState | null;
  hyperparameters: Record<string, unknown>;
  seed: number;
  /** Environment steps trained. */
  steps: number;
  updates: number;
  /** Facts about the training run: scenario, time range, reward weights, backend, commit. */
  training: Record<string, unknown>;
}

/** Writes `policy.json` and `optimizer.json` into `dir`, creating it. */
export function writePolicyDir(
  dir: string,
  policy: SavedPolicy,
  optimizer: OptimizerState | null,
): void {
  mkdirSync(dir, { recursive: true });
  const file = { ...policy, spaces: spacesToJson(policy.spaces) };
  writeFileSync(join(dir, "policy.json"), JSON.stringify(file) + "\n");
  writeFileSync(join(dir, "optimizer.json"), JSON.stringify(optimizer ?? { tensors: [] }) + "\n");
}

/**
 * Reads a policy directory and checks that it was trained on `expected` spaces. A missing
 * directory, an unreadable file or different spaces raise a one-line `UserInputError`.
 */
export function readPolicyDir(dir: string, expected: Spaces): SavedPolicy {
  const path = join(dir, "policy.json");
  if (!existsSync(path)) {
    throw new UserInputError(
      `policy "${dir}" not found: expected a directory with policy.json written by npm run train`,
    );
  }
  let parsed: SavedPolicy;
  try {
    const raw = JSON.parse(readFileSync(path, "utf8")) as SavedPolicy;
    parsed = { ...raw, spaces: spacesFromJson(raw.spaces) };
  } catch (error) {
    throw new UserInputError(`policy "${dir}" is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed.format !== policyFormatVersion) {
    throw new UserInputError(
      `policy "${dir}" has format ${parsed.format}: expected ${policyFormatVersion}, retrain with npm run train`,
    );
  }
  const difference = spacesDifference(parsed.spaces, expected);
  if (difference !== null) {
    throw new UserInputError(
      `policy "${dir}" was trained on other spaces (${difference}): retrain it`,
    );
  }
  return parsed;
}

/** Reads `optimizer.json` of a policy directory, or null when absent. */
export function readOptimizerState(dir: string): OptimizerState | null {
  const path = join(dir, "optimizer.json");
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as OptimizerState) : null;
}

/** Returns the repository's current commit, with `-dirty` when files differ, or "unknown". */
export function gitCommit(cwd: string): string {
  try {
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd, encoding: "utf8" }).trim();
    const status = execFileSync("git", ["status", "--porcelain"], { cwd, encoding: "utf8" });
    return status.trim() === "" ? head : `${head}-dirty`;
  } catch {
    return "unknown";
  }
}
