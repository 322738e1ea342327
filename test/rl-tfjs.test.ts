import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { cartPoleDqn, cartPolePpo } from "../agents/cartpole-settings.js";
import { CartPole, cartPoleSpaces } from "../agents/cartpole.js";
import { Mlp } from "../agents/common/mlp.js";
import { forwardMlp } from "../agents/common/mlp-weights.js";
import { initBackend } from "../agents/common/tf-backend.js";
import { VecEnv } from "../agents/common/vec-env.js";
import { DqnAgent } from "../agents/dqn/dqn.js";
import { PpoAgent } from "../agents/ppo/ppo.js";
import { RandomStream } from "../sim/random.js";

/** Returns fixed CartPole-like observations, spread wider than the initial state. */
function fixedObservations(count: number): Float32Array[] {
  const random = new RandomStream(99);
  return Array.from({ length: count }, () =>
    Float32Array.from({ length: 4 }, () => random.normal(0, 1.5)),
  );
}

function probabilitiesOn(weights: ReturnType<Mlp["toJson"]>, observations: Float32Array[]) {
  const net = new Mlp([4, 64, 64, 2], "tanh", new RandomStream(0));
  net.load(weights);
  const data = new Float32Array(observations.length * 4);
  observations.forEach((o, i) => data.set(o, i * 4));
  const probabilities = tf.tidy(
    () =>
      tf.softmax(net.apply(tf.tensor2d(data, [observations.length, 4]))).dataSync() as Float32Array,
  );
  net.dispose();
  return probabilities;
}

describe("TensorFlow.js backends", () => {
  it("activates the requested cpu backend", async () => {
    expect(await initBackend("cpu")).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
  });

  it("prefers wasm when the native binding is absent", async () => {
    const messages: string[] = [];
    const backend = await initBackend(undefined, (message) => messages.push(message));
    // tfjs-node is optional: where it loads it wins, elsewhere wasm must.
    const expected = tf.findBackend("tensorflow") !== null ? "tensorflow" : "wasm";
    expect(backend).toBe(expected);
  });

  it("gives the same action probabilities on cpu and wasm", async () => {
    await initBackend("cpu");
    // Output gain 1 makes the probabilities far from uniform, so a difference would show.
    const reference = new Mlp([4, 64, 64, 2], "tanh", new RandomStream(5), 1);
    const weights = reference.toJson();
    reference.dispose();
    const observations = fixedObservations(256);

    const cpu = probabilitiesOn(weights, observations);
    expect(await initBackend("wasm")).toBe("wasm");
    const wasm = probabilitiesOn(weights, observations);
    let largest = 0;
    let disagreements = 0;
    for (let i = 0; i < cpu.length; i++) largest = Math.max(largest, Math.abs(cpu[i] - wasm[i]));
    for (let i = 0; i < observations.length; i++) {
      if (cpu[2 * i] > cpu[2 * i + 1] !== wasm[2 * i] > wasm[2 * i + 1]) disagreements++;
    }
    console.info(`largest cpu-wasm difference in action probability: ${largest.toExponential(2)}`);
    expect(largest).toBeLessThan(1e-5);
    expect(disagreements).toBe(0);
  });

  it("matches the plain JavaScript forward pass", async () => {
    await initBackend("wasm");
    const net = new Mlp([4, 64, 64, 2], "tanh", new RandomStream(6), 1);
    const weights = net.toJson();
    net.dispose();
    const observations = fixedObservations(32);
    const probabilities = probabilitiesOn(weights, observations);
    observations.forEach((observation, i) => {
      const logits = forwardMlp(weights, observation);
      const p0 = 1 / (1 + Math.exp(logits[1] - logits[0]));
      expect(Math.abs(p0 - probabilities[2 * i])).toBeLessThan(1e-5);
    });
  });
});

describe("tensor count", () => {
  it("stays flat across PPO updates", async () => {
    await initBackend("wasm");
    const hyper = { ...cartPolePpo, envs: 2, rolloutSteps: 32, epochs: 2 };
    const agent = new PpoAgent(cartPoleSpaces, hyper, 1);
    const env = new VecEnv([new CartPole(), new CartPole()]);
    const counts: number[] = [];
    await agent.train(env, {
      totalSteps: 64 * 8,
      resetSeed: 1,
      onProgress: () => void counts.push(tf.memory().numTensors),
    });
    expect(counts).toHaveLength(8);
    expect(new Set(counts.slice(1)).size).toBe(1);
    agent.dispose();
  });

  it("stays flat across DQN gradient steps", async () => {
    await initBackend("wasm");
    const hyper = { ...cartPoleDqn, learningStarts: 100, trainFrequency: 50, gradientSteps: 5 };
    const agent = new DqnAgent(cartPoleSpaces, hyper, 1);
    const env = new VecEnv([new CartPole()]);
    const counts: number[] = [];
    await agent.train(env, {
      totalSteps: 2_500,
      resetSeed: 1,
      onProgress: () => void counts.push(tf.memory().numTensors),
    });
    expect(agent.updates).toBeGreaterThan(200);
    expect(new Set(counts.slice(1)).size).toBe(1);
    agent.dispose();
  });
});
