/**
 * One training run on CartPole until the task is solved or the step budget runs out. The task
 * counts as solved when the greedy policy's mean return over 100 evaluation episodes reaches
 * 475. Evaluation runs whenever the last 10 training episodes average 200 or more, at most
 * once per 5,000 steps. Its episodes do not count towards the budget.
 */
import { createAgent, type Hyperparameters } from "./agent-factory.js";
import { CartPole, cartPoleConstants, cartPoleSpaces } from "./cartpole.js";
import { VecEnv } from "./common/vec-env.js";
import { evaluateEpisodes, mean } from "./evaluate.js";
import type { AlgorithmName } from "./policy-file.js";

/** Outcome of one run. */
export interface CartPoleRun {
  algorithm: AlgorithmName;
  seed: number;
  /** Environment steps at the evaluation that first reached the solved mean; null if none did. */
  solvedAtSteps: number | null;
  /** Steps taken in total. */
  steps: number;
  /** Wall time of training and evaluations, in milliseconds. */
  wallMs: number;
  /** Mean environment steps per second while collecting experience (excluding updates). */
  envStepsPerSec: number;
  /** Best mean evaluation return seen; null if no evaluation ran. */
  bestEvaluation: number | null;
  /** Mean return of the training episodes, one entry per progress report. */
  curve: { steps: number; meanReturn: number }[];
}

export interface CartPoleRunOptions {
  algorithm: AlgorithmName;
  hyperparameters: Hyperparameters;
  seed: number;
  /** Environment step budget. */
  budget: number;
  /** Evaluation episodes per check. Default 100. */
  evaluationEpisodes?: number;
  /** Stop once solved. Default true. */
  stopWhenSolved?: boolean;
}

export async function runCartPole(options: CartPoleRunOptions): Promise<CartPoleRun> {
  const { algorithm, hyperparameters, seed, budget } = options;
  const episodes = options.evaluationEpisodes ?? 100;
  const env = new VecEnv(Array.from({ length: hyperparameters.envs }, () => new CartPole()));
  const agent = createAgent(algorithm, cartPoleSpaces, hyperparameters, seed);
  const recent: number[] = [];
  const rates: number[] = [];
  const run: CartPoleRun = {
    algorithm,
    seed,
    solvedAtSteps: null,
    steps: 0,
    wallMs: 0,
    envStepsPerSec: 0,
    bestEvaluation: null,
    curve: [],
  };
  let lastEvaluation = -Infinity;
  const started = performance.now();

  await agent.train(env, {
    totalSteps: budget,
    resetSeed: seed * 1_000,
    onProgress: ({ steps, episodes: finished, metrics }) => {
      for (const episode of finished) recent.push(episode.episodeReturn);
      recent.splice(0, Math.max(0, recent.length - 10));
      rates.push(metrics["time/env_steps_per_sec"]);
      if (recent.length > 0) run.curve.push({ steps, meanReturn: mean(recent) });
      if (recent.length < 10 || mean(recent) < 200 || steps - lastEvaluation < 5_000) return false;

      lastEvaluation = steps;
      // Evaluation seeds lie far from the training seeds, so no episode repeats.
      const returns = evaluateEpisodes(
        (o) => agent.actGreedy(o),
        () => new CartPole(),
        episodes,
        1e9 + seed * 1e4,
      );
      const score = mean(returns);
      run.bestEvaluation = Math.max(run.bestEvaluation ?? -Infinity, score);
      if (score >= cartPoleConstants.solvedMeanReturn && run.solvedAtSteps === null) {
        run.solvedAtSteps = steps;
        return options.stopWhenSolved ?? true;
      }
      return false;
    },
  });

  run.steps = agent.steps;
  run.wallMs = performance.now() - started;
  run.envStepsPerSec = mean(rates.filter(Number.isFinite));
  agent.dispose();
  return run;
}
