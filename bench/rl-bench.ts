/**
 * `npm run bench -- rl`: PPO and DQN on CartPole over five seeds each. For every seed it
 * prints the environment steps and wall time to solve the task (mean greedy return of at
 * least 475 over 100 episodes) within 100,000 steps, and the environment steps per second
 * while collecting experience. It first times one PPO update on each TensorFlow.js backend.
 */
import { runCartPole, type CartPoleRun } from "../agents/cartpole-run.js";
import { cartPoleDqn, cartPolePpo } from "../agents/cartpole-settings.js";
import { cartPoleSpaces } from "../agents/cartpole.js";
import { initBackend } from "../agents/common/tf-backend.js";
import { PpoAgent } from "../agents/ppo/ppo.js";
import { VecEnv } from "../agents/common/vec-env.js";
import { CartPole } from "../agents/cartpole.js";

const seeds = [1, 2, 3, 4, 5];
const budget = 100_000;
/** Seeds that must solve within the budget, per algorithm. */
const requiredSolved = 4;

/** Prints the backend comparison, then every seed of both agents and a summary line. */
export async function runBenchmark(): Promise<void> {
  process.stdout.write(
    "rl: TensorFlow.js backends, PPO update on CartPole (8 x 32 steps, 20 epochs)\n",
  );
  for (const name of ["wasm", "cpu"] as const) {
    const active = await initBackend(name);
    if (active !== name) {
      process.stdout.write(`  ${name.padEnd(5)}: unavailable, fell back to ${active}\n`);
      continue;
    }
    process.stdout.write(
      `  ${name.padEnd(5)}: ${(await timeUpdateMs()).toFixed(1)} ms per rollout update\n`,
    );
  }

  const backend = await initBackend(undefined, (message) => process.stderr.write(`${message}\n`));
  process.stdout.write(`\nrl: CartPole-v1, budget ${budget} steps, backend ${backend}\n`);
  const summaries: string[] = [];
  for (const [algorithm, hyperparameters] of [
    ["ppo", cartPolePpo],
    ["dqn", cartPoleDqn],
  ] as const) {
    const runs: CartPoleRun[] = [];
    for (const seed of seeds) {
      const run = await runCartPole({ algorithm, hyperparameters, seed, budget });
      runs.push(run);
      process.stdout.write(`  ${formatRun(run)}\n`);
    }
    const solved = runs.filter((run) => run.solvedAtSteps !== null).length;
    const verdict = solved >= requiredSolved ? "target met" : "target missed";
    summaries.push(
      `  ${algorithm}: solved on ${solved} of ${runs.length} seeds (${verdict}: ${requiredSolved} of 5)`,
    );
  }
  process.stdout.write(`${summaries.join("\n")}\n`);
}

function formatRun(run: CartPoleRun): string {
  const solved =
    run.solvedAtSteps === null
      ? "not solved in budget"
      : `solved at ${String(run.solvedAtSteps).padStart(6)} steps`;
  const best = run.bestEvaluation === null ? "none" : run.bestEvaluation.toFixed(1);
  const overall = run.steps / (run.wallMs / 1000);
  return (
    `${run.algorithm} seed ${run.seed}: ${solved.padEnd(22)}, ${(run.wallMs / 1000).toFixed(1)} s wall, ` +
    `${Math.round(run.envStepsPerSec)} env steps/s collecting, ${Math.round(overall)} overall, ` +
    `best evaluation ${best}`
  );
}

/** Times the update of one PPO rollout on the active backend, after one warm-up update. */
async function timeUpdateMs(): Promise<number> {
  const env = new VecEnv(Array.from({ length: cartPolePpo.envs }, () => new CartPole()));
  const agent = new PpoAgent(cartPoleSpaces, { ...cartPolePpo, annealLearningRate: false }, 0);
  const batch = cartPolePpo.envs * cartPolePpo.rolloutSteps;
  const updateTimes: number[] = [];
  await agent.train(env, {
    totalSteps: batch * 4,
    resetSeed: 0,
    onProgress: ({ metrics }) => void updateTimes.push(metrics["time/update_ms"]),
  });
  agent.dispose();
  const measured = updateTimes.slice(1);
  return measured.reduce((a, b) => a + b, 0) / measured.length;
}
