import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { cartPolePpo } from "../agents/cartpole-settings.js";
import { CartPole, cartPoleSpaces } from "../agents/cartpole.js";
import { initBackend } from "../agents/common/tf-backend.js";
import type { TrainingProgress } from "../agents/common/training.js";
import { VecEnv } from "../agents/common/vec-env.js";
import { evaluateEpisodes, mean } from "../agents/evaluate.js";
import { PpoAgent } from "../agents/ppo/ppo.js";

function cartPoles(count: number): VecEnv {
  return new VecEnv(Array.from({ length: count }, () => new CartPole()));
}

/** Trains PPO on CartPole and returns every progress report's metrics and returns. */
async function shortRun(seed: number, updates: number): Promise<TrainingProgress[]> {
  // Four epochs instead of twenty keep the test short; the code path is the same.
  const agent = new PpoAgent(cartPoleSpaces, { ...cartPolePpo, epochs: 4 }, seed);
  const reports: TrainingProgress[] = [];
  const batch = cartPolePpo.envs * cartPolePpo.rolloutSteps;
  await agent.train(cartPoles(cartPolePpo.envs), {
    totalSteps: batch * updates,
    resetSeed: seed,
    onProgress: (progress) => {
      const {
        ["time/env_steps_per_sec"]: _rate,
        ["time/update_ms"]: _ms,
        ...rest
      } = progress.metrics;
      reports.push({ ...progress, metrics: rest });
    },
  });
  agent.dispose();
  return reports;
}

describe("PPO on CartPole", () => {
  it("raises the greedy return within a few hundred steps", async () => {
    await initBackend("wasm");
    const agent = new PpoAgent(cartPoleSpaces, cartPolePpo, 7);
    const evaluate = () =>
      mean(
        evaluateEpisodes(
          (o) => agent.actGreedy(o),
          () => new CartPole(),
          20,
          5_000,
        ),
      );
    const before = evaluate();
    // 3 updates of 256 steps each.
    await agent.train(cartPoles(cartPolePpo.envs), { totalSteps: 768, resetSeed: 7 });
    const after = evaluate();
    console.info(`greedy mean return over 20 episodes: ${before} before, ${after} after 768 steps`);
    expect(after).toBeGreaterThan(before + 20);
    agent.dispose();
  });

  it("repeats its learning curve for a seed on wasm", async () => {
    await initBackend("wasm");
    const first = await shortRun(3, 3);
    const second = await shortRun(3, 3);
    expect(second).toEqual(first);
  });

  it("repeats its learning curve for a seed on cpu", async () => {
    await initBackend("cpu");
    const first = await shortRun(3, 2);
    const second = await shortRun(3, 2);
    expect(second).toEqual(first);
    await initBackend("wasm");
  });

  it("changes its learning curve with the seed", async () => {
    await initBackend("wasm");
    const a = await shortRun(3, 1);
    const b = await shortRun(4, 1);
    expect(b[0].metrics["train/policy_loss"]).not.toBe(a[0].metrics["train/policy_loss"]);
  });

  it("resumes from a saved state with the same weights", async () => {
    await initBackend("wasm");
    const agent = new PpoAgent(cartPoleSpaces, cartPolePpo, 2);
    await agent.train(cartPoles(cartPolePpo.envs), { totalSteps: 256, resetSeed: 2 });
    const state = JSON.parse(JSON.stringify(await agent.toState()));
    const restored = new PpoAgent(cartPoleSpaces, cartPolePpo, 2);
    await restored.loadState(state);
    const observations = [Float32Array.of(0.1, -0.2, 0.05, 0.3)];
    expect(restored.steps).toBe(256);
    expect(Array.from(restored.actionProbabilities(observations))).toEqual(
      Array.from(agent.actionProbabilities(observations)),
    );
    // The restored Adam moments let training continue without a tensor leak.
    const before = tf.memory().numTensors;
    await restored.train(cartPoles(cartPolePpo.envs), { totalSteps: 512, resetSeed: 9 });
    expect(restored.steps).toBe(512);
    expect(tf.memory().numTensors).toBe(before);
    agent.dispose();
    restored.dispose();
  });
});
