/**
 * `npm run sim`: replays a scenario's workload under every requested allocator in the
 * discrete-event simulation, prints the comparison table and writes results/<run-id>/.
 */
import { join, resolve } from "node:path";
import cliProgress from "cli-progress";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { isProviderId, providerIds } from "../framework/cloud/providers.js";
import { UserInputError } from "../framework/runtime/user-input-error.js";
import { writeRunOutputs } from "../paper/run-outputs.js";
import { writeSyncOutputs } from "../paper/sync-outputs.js";
import { isSyncSchemeName, syncSchemeNames } from "../framework/edge/sync-scheme.js";
import type { SyncSchemeName } from "../framework/edge/sync-scheme.js";
import {
  runPrefetchComparison,
  runSyncComparison,
  writePrefetchFile,
  writeSyncFiles,
} from "../scenarios/sync-comparison.js";
import {
  isPredictorName,
  predictorNames,
  type PredictorName,
} from "../framework/edge/prefetch/predictor-registry.js";
import { baselines, resolvePolicies } from "../baselines/registry.js";
import { mergeOverrides, readConfigFile } from "../scenarios/config-merge.js";
import { getScenario, scenarios } from "../scenarios/registry.js";
import { runId, writeRunFiles } from "../scenarios/results.js";
import { runScenario, type ScenarioRun } from "../scenarios/run-scenario.js";
import type { ScenarioConfig } from "../scenarios/scenario.js";
import { validateScenario } from "../scenarios/validate.js";
import { parseDurationUs } from "./duration.js";
import { applyNetworkProfileFlags, networkProfileOptions } from "./network-profile-flags.js";
import { outputOptions, rejectUsage, runCli } from "./run-cli.js";
import { resolveSource, workloadOptions } from "./workload-flags.js";

const argv = yargs(hideBin(process.argv))
  .scriptName("npm run sim --")
  .usage(
    "$0 --scenario NAME [options]\n\nReplays a scenario under every allocator and compares cost and latency.",
  )
  .option("scenario", {
    type: "string",
    demandOption: true,
    describe: `scenario: ${[...scenarios.keys()].join(", ")}`,
  })
  .option("policy", {
    type: "string",
    describe: `comma-separated allocators (default: all of ${[...baselines.keys()].join(", ")})`,
  })
  .option("seed", {
    nargs: 1,
    type: "string",
    describe: "root random seed, an integer in [0, 2^32) (default: scenario's)",
  })
  .option("provider", {
    type: "string",
    describe: `billing profile: ${providerIds.join(", ")} (default: scenario's)`,
  })
  .option("duration", {
    nargs: 1,
    type: "string",
    describe: "simulated span, with unit: 90s, 30m, 24h, 2d (default: scenario's)",
  })
  .option("start-offset", {
    nargs: 1,
    type: "string",
    describe:
      "skip this much replayed time after the first record before the run starts, with unit: 24h (default: 0); evaluates trained policies on held-out time",
  })
  .option("devices", {
    nargs: 1,
    type: "string",
    describe: "virtual devices: generator device count, or fan-out factor of a --trace replay",
  })
  .option("speed", {
    nargs: 1,
    type: "string",
    describe: "time compression of a --trace replay: 60 plays 1 h in 1 min",
  })
  .options(workloadOptions)
  .options(networkProfileOptions)
  .option("config", {
    type: "string",
    describe: "JSON file overriding any scenario field (units as the field names say)",
  })
  .option("sync", {
    type: "string",
    describe: `comma-separated state sync schemes to compare: ${syncSchemeNames.join(", ")}`,
  })
  .option("prefetch", {
    type: "string",
    describe: `comma-separated read predictors to compare with --sync: ${predictorNames.join(", ")}`,
  })
  .options(outputOptions)
  .parserConfiguration({ "short-option-groups": false })
  .strict()
  .fail(rejectUsage)
  .help()
  .wrap(Math.min(110, process.stdout.columns ?? 100));

await runCli(async () => {
  const args = await argv.parse();
  const config = applyNetworkProfileFlags(resolveConfig(args), args);
  const policies = (args.policy ?? [...baselines.keys()].join(","))
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  const factories = resolvePolicies(policies);
  const syncSchemes = args.sync === undefined ? [] : parseSyncSchemes(String(args.sync));
  const predictors = args.prefetch === undefined ? [] : parsePredictors(String(args.prefetch));
  if (predictors.length > 0 && syncSchemes.length === 0) {
    throw new UserInputError("--prefetch needs --sync: pass the sync schemes to compare as well");
  }
  const source = resolveSource(config, args);

  const bar = new cliProgress.SingleBar(
    {
      format: "{bar} {percentage}% | {step} | {duration_formatted}",
      stream: process.stderr,
      hideCursor: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1000, 0, { step: "building workload" });
  let run: ScenarioRun;
  try {
    run = await runScenario(config, source, factories, (share, step) =>
      bar.update(Math.round(share * 1000), { step }),
    );
  } finally {
    bar.stop();
  }

  const runDir = join(resolve(args.out), runId(run, policies));
  await writeRunFiles(run, runDir, policies);
  const outputs = await writeRunOutputs(runDir, { includesFigures: args.figures });
  let syncTable = "";
  if (syncSchemes.length > 0) {
    const comparison = runSyncComparison(run.config, run.workload, syncSchemes, (scheme) =>
      process.stderr.write(`sync comparison: ${scheme}\n`),
    );
    await writeSyncFiles(runDir, comparison);
    if (predictors.length > 0) {
      const prefetch = await runPrefetchComparison(run.config, comparison, predictors, (name) =>
        process.stderr.write(`prefetch comparison: ${name}\n`),
      );
      await writePrefetchFile(runDir, prefetch);
    }
    syncTable = await writeSyncOutputs(runDir, { includesFigures: args.figures });
  }
  printSummary(run, outputs.terminalTable, syncTable, runDir);
});

/** Parses `--prefetch lstm,markov,recency,none`. */
function parsePredictors(text: string): PredictorName[] {
  const names = text
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!isPredictorName(name)) {
      throw new UserInputError(
        `unknown predictor "${name}": expected one of ${predictorNames.join(", ")}`,
      );
    }
  }
  if (names.length === 0) {
    throw new UserInputError(
      `invalid --prefetch "${text}": expected one or more of ${predictorNames.join(", ")}`,
    );
  }
  return names as PredictorName[];
}

/** Parses `--sync crdt,lww,poll`. */
function parseSyncSchemes(text: string): SyncSchemeName[] {
  const names = text
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!isSyncSchemeName(name)) {
      throw new UserInputError(
        `unknown sync scheme "${name}": expected one of ${syncSchemeNames.join(", ")}`,
      );
    }
  }
  if (names.length === 0) {
    throw new UserInputError(
      `invalid --sync "${text}": expected one or more of ${syncSchemeNames.join(", ")}`,
    );
  }
  return names as SyncSchemeName[];
}

/** Applies the config file, then the flags, to the scenario's defaults and validates the result. */
function resolveConfig(args: Record<string, unknown>): ScenarioConfig {
  let config = getScenario(String(args.scenario));
  if (typeof args.config === "string")
    config = mergeOverrides(config, readConfigFile(args.config), args.config);

  if (args.seed !== undefined)
    config.seed = parseNumberFlag(args.seed, "--seed", "an integer in [0, 2^32)");
  if (args.provider !== undefined) {
    const provider = String(args.provider);
    if (!isProviderId(provider)) {
      throw new UserInputError(
        `unknown provider "${provider}": expected one of ${providerIds.join(", ")}`,
      );
    }
    config.provider = provider;
  }
  if (args.duration !== undefined)
    config.durationUs = parseDurationUs(String(args.duration), "--duration");
  if (args["start-offset"] !== undefined)
    config.startOffsetUs = parseDurationUs(String(args["start-offset"]), "--start-offset");
  if (args.devices !== undefined)
    config.devices = parseNumberFlag(args.devices, "--devices", "a positive integer");
  if (args.speed !== undefined)
    config.speed = parseNumberFlag(args.speed, "--speed", "a positive number");
  return validateScenario(config);
}

/** Parses a numeric flag; range checks happen with the rest of the scenario's validation. */
function parseNumberFlag(value: unknown, flag: string, expected: string): number {
  const text = String(value).trim();
  const number = Number(text);
  if (text === "" || !Number.isFinite(number)) {
    throw new UserInputError(`invalid ${flag} "${text}": expected ${expected}`);
  }
  return number;
}

function printSummary(run: ScenarioRun, table: string, syncTable: string, runDir: string): void {
  const { config, workload } = run;
  const hours = (workload.durationUs / 3.6e9).toFixed(2);
  process.stdout.write(
    `scenario ${config.name}, provider ${config.provider}, seed ${config.seed}, ` +
      `${workload.records.length} records over ${hours} h, SLA p${config.sla.percentile} <= ${config.sla.latencyTargetMs} ms\n\n`,
  );
  process.stdout.write(`${table}\n`);
  if (syncTable !== "") {
    const sync = run.config.sync;
    process.stdout.write(
      `state sync over the first ${(sync.durationUs / 3.6e9).toFixed(2)} h, ` +
        `${sync.partitionedEdges} edge uplinks partitioned ${sync.partitions.length} time(s)\n\n`,
    );
    process.stdout.write(`${syncTable}\n`);
  }
  const replay = run.source.replayStats;
  if (replay !== null) {
    const counts = replay
      .entries()
      .map(([name, value]) => `${name} ${value}`)
      .join(", ");
    process.stdout.write(`\ntrace replay: ${counts}\n`);
  }
  process.stdout.write(
    `network: ${run.delivery.retransmissions} retransmissions, ${run.delivery.heldByPartition} held by partitions\n`,
  );
  process.stdout.write(`\nresults: ${runDir}\n`);
}
