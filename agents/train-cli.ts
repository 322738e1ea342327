/**
 * `npm run train`: trains a PPO or DQN allocator on a scenario's workload and saves the policy
 * directory (policy.json, optimizer.json, learning-curve.csv and its figure). Episodes are
 * windows of the training span that start at random decision intervals; the span after it is
 * held out for `npm run sim -- --start-offset SPAN --policy ppo:DIR`.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import cliProgress from "cli-progress";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { baselines } from "../baselines/registry.js";
import { UserInputError } from "../framework/runtime/user-input-error.js";
import { parseDurationUs } from "../cli/duration.js";
import { rejectUsage, runCli } from "../cli/run-cli.js";
import { getScenario, scenarios } from "../scenarios/registry.js";
import { repoRoot } from "../scenarios/trace-paths.js";
import { validateScenario } from "../scenarios/validate.js";
import { generatorSource } from "../scenarios/workload-source.js";
import { createAgent, type Agent, type Hyperparameters } from "./agent-factory.js";
import { AllocationEnv } from "./allocation/env.js";
import { allocationSpaces } from "./allocation/features.js";
import { rewardDefaults, type RewardWeights } from "./allocation/reward.js";
import { scenarioWorkload } from "./allocation/scenario-workload.js";
import { initBackend, isBackendName, backendNames } from "./common/tf-backend.js";
import { VecEnv } from "./common/vec-env.js";
import { dqnDefaults } from "./dqn/hyperparameters.js";
import { applyOverrides } from "./hyperparameter-overrides.js";
import { readCurveCsv, renderCurve, writeCurveCsv, type CurvePoint } from "./learning-curve.js";
import {
  gitCommit,
  policyFormatVersion,
  readOptimizerState,
  readPolicyDir,
  writePolicyDir,
  type AlgorithmName,
  type SavedPolicy,
} from "./policy-file.js";
import { ppoBatchSizes, ppoDefaults, type PpoHyperparameters } from "./ppo/hyperparameters.js";

const HOUR_US = 3_600_000_000;

const argv = yargs(hideBin(process.argv))
  .scriptName("npm run train --")
  .usage(
    "$0 --agent ppo|dqn --scenario NAME [options]\n\nTrains an allocator on a scenario and saves the policy directory.",
  )
  .option("agent", { type: "string", demandOption: true, describe: "algorithm: ppo or dqn" })
  .option("scenario", {
    type: "string",
    demandOption: true,
    describe: `scenario: ${[...scenarios.keys()].join(", ")}`,
  })
  .option("steps", {
    nargs: 1,
    type: "string",
    default: "200000",
    describe: "environment steps (decision intervals) to train in total, counting resumed ones",
  })
  .option("seed", {
    nargs: 1,
    type: "string",
    default: "1",
    describe: "seed of the networks, exploration and episode starts, an integer in [0, 2^32)",
  })
  .option("out", {
    type: "string",
    describe: "policy directory to write (default: results/policies/AGENT-SCENARIO-seedSEED)",
  })
  .option("resume", {
    type: "boolean",
    default: false,
    describe: "continue training from the checkpoint in --out",
  })
  .option("train-span", {
    nargs: 1,
    type: "string",
    default: "24h",
    describe: "source time episodes are drawn from, with unit; later time is held out",
  })
  .option("episode", {
    nargs: 1,
    type: "string",
    default: "1h",
    describe: "simulated length of one episode, with unit",
  })
  .option("devices", {
    nargs: 1,
    type: "string",
    describe: "generator device count (default: scenario's)",
  })
  .option("reward", {
    type: "string",
    describe: `reward weights as NAME=VALUE,... of ${Object.keys(rewardDefaults).join(", ")} (default: ${formatWeights(rewardDefaults)})`,
  })
  .option("hyperparameters", {
    type: "string",
    describe:
      "JSON file overriding agent hyperparameters (names as in agents/ppo|dqn/hyperparameters.ts)",
  })
  .option("set", {
    type: "string",
    array: true,
    default: [],
    describe: "override one hyperparameter, KEY=VALUE (repeatable), after --hyperparameters",
  })
  .option("checkpoint-every", {
    nargs: 1,
    type: "string",
    default: "50000",
    describe: "environment steps between checkpoints written to --out",
  })
  .option("backend", {
    type: "string",
    describe: `TensorFlow.js backend: ${backendNames.join(", ")} (default: first that loads)`,
  })
  .parserConfiguration({ "short-option-groups": false })
  .strict()
  .fail(rejectUsage)
  .help()
  .wrap(Math.min(110, process.stdout.columns ?? 100));

await runCli(async () => {
  const args = await argv.parse();
  const algorithm = parseAlgorithm(args.agent);
  const seed = parseInteger(args.seed, "--seed", 0, 2 ** 32 - 1);
  const totalSteps = parseInteger(args.steps, "--steps", 1, Number.MAX_SAFE_INTEGER);
  const checkpointEvery = parseInteger(
    args["checkpoint-every"],
    "--checkpoint-every",
    1,
    Number.MAX_SAFE_INTEGER,
  );
  const outDir = resolve(
    args.out ?? join("results", "policies", `${algorithm}-${args.scenario}-seed${seed}`),
  );
  const resumed = args.resume ? readPolicyDir(outDir, allocationSpaces) : null;
  if (resumed !== null && resumed.algorithm !== algorithm) {
    throw new UserInputError(
      `checkpoint "${outDir}" was trained with ${resumed.algorithm}: pass --agent ${resumed.algorithm}`,
    );
  }

  // Scenario and workload: the training span only, from the calibrated generator.
  const config = getScenario(String(args.scenario));
  config.durationUs = parseDurationUs(args["train-span"], "--train-span");
  if (args.devices !== undefined)
    config.devices = parseInteger(args.devices, "--devices", 1, Number.MAX_SAFE_INTEGER);
  validateScenario(config);
  const episodeUs = parseDurationUs(args.episode, "--episode");
  const rewardWeights =
    resumed?.training.rewardWeights !== undefined && args.reward === undefined
      ? (resumed.training.rewardWeights as RewardWeights)
      : parseWeights(args.reward);
  const hyperparameters =
    resumed !== null
      ? (resumed.hyperparameters as unknown as Hyperparameters)
      : applyOverrides<Hyperparameters>(
          algorithm === "ppo" ? ppoDefaults : dqnDefaults,
          args.hyperparameters,
          args.set,
        );

  if (!args.resume && existsSync(join(outDir, "policy.json"))) {
    throw new UserInputError(
      `policy "${outDir}" already exists: pass --resume to continue it or another --out`,
    );
  }

  if (algorithm === "ppo") ppoBatchSizes(hyperparameters as PpoHyperparameters);
  const backend = await initBackend(parseBackend(args.backend), (message) =>
    process.stderr.write(`${message}\n`),
  );
  process.stderr.write(`TensorFlow.js backend: ${backend}\n`);
  process.stderr.write(
    `building the ${config.name} workload (${args["train-span"]} of source time)\n`,
  );
  const { workload, settings } = await scenarioWorkload(config, generatorSource(config));
  if (episodeUs > workload.durationUs) {
    throw new UserInputError(`invalid --episode "${args.episode}": longer than the training span`);
  }

  const envs = Array.from(
    { length: hyperparameters.envs },
    () => new AllocationEnv({ workload, settings, episodeUs, rewardWeights }),
  );
  const agent = createAgent(algorithm, allocationSpaces, hyperparameters, seed);
  if (resumed !== null)
    await agent.loadState({ ...resumed, optimizer: readOptimizerState(outDir) } as never);

  const training = {
    scenario: config.name,
    scenarioSeed: config.seed,
    devices: config.devices,
    source: "generator",
    trainSpanUs: config.durationUs,
    heldOutFromUs: config.durationUs,
    episodeUs,
    rewardWeights,
    backend,
    gitCommit: gitCommit(repoRoot),
  };
  const curve = resumed !== null ? readCurveCsv(join(outDir, "learning-curve.csv")) : [];
  const started = performance.now();
  await trainWithProgress(agent, new VecEnv(envs), {
    totalSteps,
    seed,
    curve,
    onCheckpoint: () => save(agent, outDir, training, curve),
    checkpointEvery,
  });
  await save(agent, outDir, training, curve);
  await renderCurve(
    join(outDir, "learning-curve"),
    curve,
    `${algorithm.toUpperCase()} on ${config.name}, seed ${seed}`,
  );

  const minutes = (performance.now() - started) / 60_000;
  const evalHours = Math.round(config.durationUs / HOUR_US);
  const devices = args.devices === undefined ? "" : ` --devices ${config.devices}`;
  const policies = `${algorithm}:${outDir},${[...baselines.keys()].join(",")}`;
  process.stdout.write(
    `trained ${algorithm} for ${agent.steps} steps in ${minutes.toFixed(1)} min on ${backend}; ` +
      `policy: ${outDir}
` +
      `evaluate on held-out time: npm run sim -- --scenario ${config.name}${devices} ` +
      `--start-offset ${evalHours}h --duration 24h --policy ${policies}\n`,
  );
});

interface ProgressOptions {
  totalSteps: number;
  seed: number;
  curve: CurvePoint[];
  checkpointEvery: number;
  onCheckpoint: () => Promise<void>;
}

/** Trains with a progress bar on stderr showing steps, recent mean return and steps per second. */
async function trainWithProgress(
  agent: Agent,
  env: VecEnv,
  options: ProgressOptions,
): Promise<void> {
  const bar = new cliProgress.SingleBar(
    {
      format:
        "{bar} {value}/{total} steps | return {recent} | {rate} steps/s | {duration_formatted}",
      stream: process.stderr,
      hideCursor: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const recent: number[] = [];
  let episodes = options.curve.at(-1)?.episodes ?? 0;
  let lastCheckpoint = agent.steps;
  bar.start(options.totalSteps, agent.steps, { recent: "-", rate: "-" });
  try {
    await agent.train(env, {
      totalSteps: options.totalSteps,
      resetSeed: options.seed * 1_000 + agent.steps,
      onProgress: async ({ steps, episodes: finished, metrics }) => {
        for (const episode of finished) recent.push(episode.episodeReturn);
        recent.splice(0, Math.max(0, recent.length - 20));
        episodes += finished.length;
        const meanReturn =
          recent.length === 0 ? Number.NaN : recent.reduce((a, b) => a + b) / recent.length;
        options.curve.push({ steps, episodes, meanReturn, metrics });
        bar.update(steps, {
          recent: Number.isFinite(meanReturn) ? meanReturn.toFixed(2) : "-",
          rate: Math.round(metrics["time/env_steps_per_sec"] ?? 0),
        });
        if (steps - lastCheckpoint >= options.checkpointEvery) {
          lastCheckpoint = steps;
          await options.onCheckpoint();
        }
        // Let the progress bar's timer and signals run between updates.
        await new Promise((resolveTick) => setImmediate(resolveTick));
      },
    });
  } finally {
    bar.stop();
  }
}

async function save(
  agent: Agent,
  dir: string,
  training: Record<string, unknown>,
  curve: CurvePoint[],
): Promise<void> {
  const state = await agent.toState();
  const policy: SavedPolicy = {
    format: policyFormatVersion,
    algorithm: state.algorithm,
    spaces: allocationSpaces,
    policy: state.policy,
    value: state.algorithm === "ppo" ? state.value : null,
    observationStats: state.observationStats,
    hyperparameters: state.hyperparameters as unknown as Record<string, unknown>,
    seed: state.seed,
    steps: state.steps,
    updates: state.updates,
    training,
  };
  writePolicyDir(dir, policy, state.optimizer);
  writeCurveCsv(join(dir, "learning-curve.csv"), curve);
}

function parseAlgorithm(value: string): AlgorithmName {
  if (value !== "ppo" && value !== "dqn")
    throw new UserInputError(`unknown agent "${value}": expected ppo or dqn`);
  return value;
}

function parseBackend(value: string | undefined) {
  if (value === undefined) return undefined;
  if (!isBackendName(value))
    throw new UserInputError(
      `unknown backend "${value}": expected one of ${backendNames.join(", ")}`,
    );
  return value;
}

function parseInteger(value: string, flag: string, min: number, max: number): number {
  const number = Number(String(value).trim());
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new UserInputError(`invalid ${flag} "${value}": expected an integer in [${min}, ${max}]`);
  }
  return number;
}

/** Parses `cost=0.1,slaViolation=1,...`; unnamed weights keep their defaults. */
function parseWeights(text: string | undefined): RewardWeights {
  const weights: RewardWeights = { ...rewardDefaults };
  if (text === undefined) return weights;
  for (const part of text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, value] = part.split("=");
    const number = Number(value);
    if (!(name in weights) || value === undefined || !Number.isFinite(number) || number < 0) {
      throw new UserInputError(
        `invalid --reward "${part}": expected NAME=VALUE with NAME one of ${Object.keys(rewardDefaults).join(", ")} and VALUE >= 0`,
      );
    }
    weights[name as keyof RewardWeights] = number;
  }
  return weights;
}

function formatWeights(weights: RewardWeights): string {
  return Object.entries(weights)
    .map(([name, value]) => `${name}=${value}`)
    .join(",");
}
