import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../scenarios/trace-paths.js";

const run = promisify(execFile);

/** Runs the training CLI and returns its exit code, stdout and stderr. */
async function train(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const result = await run(
      process.execPath,
      ["--import", "tsx", join(repoRoot, "agents", "train-cli.ts"), ...args],
      { cwd: repoRoot },
    );
    return { code: 0, stdout: result.stdout, stderr: result.stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

/** A small run: 200 devices, a 1 h span of 10 min episodes, 2 environments of 64 steps. */
const small = [
  "--scenario",
  "smartcity",
  "--train-span",
  "1h",
  "--episode",
  "10m",
  "--devices",
  "200",
  "--set",
  "envs=2",
  "--set",
  "rolloutSteps=64",
  "--set",
  "minibatches=2",
  "--backend",
  "wasm",
];

describe("npm run train", () => {
  it("saves a policy and resumes it", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "rl-train-")), "policy");
    const first = await train(["--agent", "ppo", ...small, "--steps", "256", "--out", out]);
    expect(first.stderr).toContain("TensorFlow.js backend: wasm");
    expect(first.code).toBe(0);
    for (const file of [
      "policy.json",
      "optimizer.json",
      "learning-curve.csv",
      "learning-curve.svg",
    ]) {
      expect(existsSync(join(out, file))).toBe(true);
    }
    const saved = JSON.parse(readFileSync(join(out, "policy.json"), "utf8"));
    expect(saved.steps).toBe(256);
    expect(saved.hyperparameters.rolloutSteps).toBe(64);
    expect(saved.training.rewardWeights).toEqual({
      cost: 0.1,
      slaViolation: 1,
      backlog: 0.1,
      churn: 0.1,
    });
    expect(saved.observationStats.mean).toHaveLength(saved.spaces.observation.size);

    const second = await train([
      "--agent",
      "ppo",
      ...small,
      "--steps",
      "512",
      "--out",
      out,
      "--resume",
    ]);
    expect(second.code).toBe(0);
    const resumed = JSON.parse(readFileSync(join(out, "policy.json"), "utf8"));
    expect(resumed.steps).toBe(512);
    const rows = readFileSync(join(out, "learning-curve.csv"), "utf8").trim().split("\n");
    expect(rows).toHaveLength(1 + 512 / 128);
  });

  const badInputs: [string, string[], string][] = [
    [
      "unknown agent",
      ["--agent", "a2c", "--scenario", "smartcity"],
      'error: unknown agent "a2c": expected ppo or dqn',
    ],
    [
      "unknown hyperparameter",
      ["--agent", "dqn", "--scenario", "smartcity", "--set", "learningrate=1"],
      'error: unknown hyperparameter "learningrate" in --set: expected one of envs, learningRate,',
    ],
    [
      "bad reward weight",
      ["--agent", "ppo", "--scenario", "smartcity", "--reward", "latency=2"],
      'error: invalid --reward "latency=2": expected NAME=VALUE with NAME one of cost, slaViolation, backlog, churn and VALUE >= 0',
    ],
  ];
  for (const [name, args, expected] of badInputs) {
    it(`rejects ${name} with one line`, async () => {
      const result = await train(args);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toContain(expected);
    });
  }
});
