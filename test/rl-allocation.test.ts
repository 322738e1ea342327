import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { AllocationEnv, workloadWindow } from "../agents/allocation/env.js";
import { allocationSpaces, actionTarget } from "../agents/allocation/features.js";
import { rewardDefaults, type RewardWeights } from "../agents/allocation/reward.js";
import { scenarioWorkload } from "../agents/allocation/scenario-workload.js";
import { initBackend } from "../agents/common/tf-backend.js";
import { VecEnv } from "../agents/common/vec-env.js";
import { ppoDefaults } from "../agents/ppo/hyperparameters.js";
import { PpoAgent } from "../agents/ppo/ppo.js";
import { policyFormatVersion, writePolicyDir } from "../agents/policy-file.js";
import { resolvePolicies } from "../baselines/registry.js";
import { UserInputError } from "../framework/runtime/user-input-error.js";
import { getScenario } from "../scenarios/registry.js";
import { generatorSource } from "../scenarios/workload-source.js";
import type { RunSettings } from "../sim/run.js";
import type { Workload } from "../sim/workload.js";

const HOUR_US = 3_600_000_000;
let workload: Workload;
let settings: RunSettings;

beforeAll(async () => {
  const config = getScenario("smartcity");
  config.durationUs = 2 * HOUR_US;
  config.devices = 200;
  ({ workload, settings } = await scenarioWorkload(config, generatorSource(config)));
});

function env(weights: RewardWeights = rewardDefaults, episodeUs = HOUR_US / 6): AllocationEnv {
  return new AllocationEnv({ workload, settings, episodeUs, rewardWeights: weights });
}

describe("AllocationEnv", () => {
  it("returns finite features of the declared size", () => {
    const observation = env().reset(1);
    expect(observation).toHaveLength(allocationSpaces.observation.size);
    expect(observation.every(Number.isFinite)).toBe(true);
  });

  it("truncates at the episode length without terminating", () => {
    const e = env();
    e.reset(1);
    const steps = HOUR_US / 6 / settings.engine.decisionIntervalUs;
    const results = Array.from({ length: steps }, () => e.step(4));
    expect(results.slice(0, -1).some((r) => r.truncated || r.terminated)).toBe(false);
    expect(results.at(-1)!.truncated).toBe(true);
    expect(results.at(-1)!.terminated).toBe(false);
  });

  it("repeats an episode for the same seed", () => {
    const run = (seed: number) => {
      const e = env();
      const first = Array.from(e.reset(seed));
      const rewards = Array.from({ length: 20 }, (_, i) => e.step(i % 9).reward);
      return { first, rewards };
    };
    expect(run(5)).toEqual(run(5));
  });

  it("charges only cost under cost-only weights", () => {
    const costOnly = { cost: 1, slaViolation: 0, backlog: 0, churn: 0 };
    const run = (action: number) => {
      const e = env(costOnly);
      e.reset(2);
      return Array.from({ length: 12 }, () => e.step(action));
    };
    const scaledToZero = run(1); // recommendation x0
    const generous = run(8); // recommendation x3
    const total = (steps: { reward: number }[]) => steps.reduce((sum, s) => sum + s.reward, 0);
    expect(total(generous)).toBeLessThan(total(scaledToZero));
    // Reward is cost in units of one executor-interval, so its ratio to USD is constant.
    const ratios = generous.map((s) => s.reward / s.info.cost_usd);
    for (const ratio of ratios) expect(ratio).toBeCloseTo(ratios[0], 9);
  });

  it("gives zero reward when every weight is zero", () => {
    const e = env({ cost: 0, slaViolation: 0, backlog: 0, churn: 0 });
    e.reset(3);
    expect(e.step(3).reward === 0).toBe(true);
  });

  it("charges churn for a change of the target", () => {
    const e = env({ cost: 0, slaViolation: 0, backlog: 0, churn: 1 });
    e.reset(4);
    e.step(0);
    const held = e.step(0);
    expect(held.reward === 0).toBe(true);
    const jump = e.step(8);
    const expected = -Math.abs(jump.info.target_executors - held.info.target_executors) / 40;
    expect(jump.reward).toBeCloseTo(expected, 12);
  });
});

describe("workloadWindow", () => {
  it("keeps the records arriving inside the window, shifted to its start", () => {
    const window = workloadWindow(workload, HOUR_US / 2, HOUR_US / 4);
    expect(window.records.length).toBeGreaterThan(0);
    expect(window.arrivalUs[0]).toBeGreaterThanOrEqual(0);
    expect(window.arrivalUs.at(-1)!).toBeLessThan(HOUR_US / 4);
    expect(window.epochUs).toBe(workload.epochUs + HOUR_US / 2);
  });
});

describe("trained policy in the simulator", () => {
  let dir: string;
  let agent: PpoAgent;

  beforeAll(async () => {
    await initBackend("wasm");
    const hyper = { ...ppoDefaults, envs: 2, rolloutSteps: 32, minibatches: 2 };
    agent = new PpoAgent(allocationSpaces, hyper, 1);
    await agent.train(new VecEnv([env(), env()]), { totalSteps: 64, resetSeed: 1 });
    const state = await agent.toState();
    dir = mkdtempSync(join(tmpdir(), "rl-policy-"));
    writePolicyDir(
      dir,
      {
        format: policyFormatVersion,
        algorithm: "ppo",
        spaces: allocationSpaces,
        policy: state.policy,
        value: state.value,
        observationStats: state.observationStats,
        hyperparameters: { ...hyper },
        seed: 1,
        steps: state.steps,
        updates: state.updates,
        training: {},
      },
      state.optimizer,
    );
  });

  it("resolves ppo:DIR to an allocator acting like the agent", () => {
    const [[name, factory]] = resolvePolicies([`ppo:${dir}`]);
    expect(name).toBe(`ppo:${dir}`);
    // Drive an environment and compare the allocator's target with the agent's greedy one.
    const e = env();
    let features = e.reset(8);
    const observed: Parameters<ReturnType<typeof factory>["decide"]>[0][] = [];
    const spy = e as unknown as { observation: (typeof observed)[number] };
    const context = (e as unknown as { episode: { context: Parameters<typeof factory>[0] } })
      .episode.context;
    const allocator = factory(context);
    for (let i = 0; i < 30; i++) {
      const [action] = agent.actGreedy([features]);
      const expected = actionTarget(action, spy.observation, context);
      expect(allocator.decide(spy.observation).targetExecutors).toBe(expected);
      features = e.step(action).observation;
    }
  });

  it("rejects a policy trained on other spaces with one line", () => {
    const other = mkdtempSync(join(tmpdir(), "rl-policy-"));
    const file = JSON.parse(readFileSync(join(dir, "policy.json"), "utf8"));
    file.spaces.observation.labels[0] = "renamed_feature";
    writeFileSync(join(other, "policy.json"), JSON.stringify(file));
    let error: unknown;
    try {
      resolvePolicies([`ppo:${other}`]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserInputError);
    const message = (error as Error).message;
    expect(message).not.toContain("\n");
    expect(message).toMatch(
      /^policy ".*" was trained on other spaces \(observation features \[renamed_feature,/,
    );
  });

  it("rejects a DQN prefix on a PPO policy", () => {
    expect(() => resolvePolicies([`dqn:${dir}`])).toThrow(/was trained with ppo, not dqn/);
  });

  it("rejects a missing policy directory", () => {
    expect(() => resolvePolicies(["ppo:/nonexistent/policy"])).toThrow(UserInputError);
  });
});
