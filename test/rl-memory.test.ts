import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { cartPolePpo } from "../agents/cartpole-settings.js";
import { CartPole, cartPoleSpaces } from "../agents/cartpole.js";
import { initBackend } from "../agents/common/tf-backend.js";
import { VecEnv } from "../agents/common/vec-env.js";
import { PpoAgent } from "../agents/ppo/ppo.js";

const MB = 1024 * 1024;

describe("process memory", () => {
  it("stays flat over thousands of inference and training steps", async () => {
    await initBackend("wasm");
    const hyper = { ...cartPolePpo, epochs: 2 };
    const agent = new PpoAgent(cartPoleSpaces, hyper, 1);
    const env = new VecEnv(Array.from({ length: hyper.envs }, () => new CartPole()));
    const observations = env.reset(0);
    const batch = hyper.envs * hyper.rolloutSteps;

    // Warm-up: let the wasm heap and the JIT reach their working size.
    await agent.train(env, { totalSteps: batch * 10, resetSeed: 0 });
    for (let i = 0; i < 2_000; i++) agent.actGreedy(observations);
    const rssBefore = process.memoryUsage().rss;
    const tensorsBefore = tf.memory().numTensors;

    // 20,000 batched inferences and 40 updates (each 2 epochs over 256 transitions).
    for (let i = 0; i < 20_000; i++) agent.actGreedy(observations);
    await agent.train(env, { totalSteps: batch * 50, resetSeed: 1 });
    const growthMb = (process.memoryUsage().rss - rssBefore) / MB;
    console.info(`RSS growth over 20,000 inferences and 40 updates: ${growthMb.toFixed(1)} MB`);

    expect(tf.memory().numTensors).toBe(tensorsBefore);
    // A leak of one 64-float tensor per inference alone would add about 5 MB; the margin
    // covers garbage-collector slack.
    expect(growthMb).toBeLessThan(40);
    agent.dispose();
  });
});
