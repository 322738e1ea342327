/**
 * `npm run calibrate`: measures ingestion latency through real brokers at several loads and
 * writes a network profile (JSON) for `npm run sim -- --network-profile FILE`.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { stderrLogger } from "../framework/ingestion/live-log.js";
import { measureNetworkProfile } from "../framework/ingestion/network-calibration.js";
import { UserInputError } from "../framework/runtime/user-input-error.js";
import { smartcity } from "../scenarios/smartcity.js";
import { runCli } from "./run-cli.js";

const argv = yargs(hideBin(process.argv))
  .scriptName("npm run calibrate --")
  .usage(
    "$0 [options]\n\nMeasures ingestion latency through real brokers and writes a network profile.",
  )
  .option("mqtt", {
    type: "string",
    describe: "MQTT broker URL, such as mqtt://127.0.0.1:1883 (default: embedded aedes broker)",
  })
  .option("kafka", {
    type: "string",
    describe: "Kafka bootstrap brokers HOST:PORT,... between edge and cloud",
  })
  .option("loads", {
    type: "string",
    default: "100,1000,5000",
    describe: "comma-separated offered loads, in records per second",
  })
  .option("seconds", {
    nargs: 1,
    type: "string",
    default: "5",
    describe: "seconds of traffic per load",
  })
  .option("qos", { nargs: 1, type: "string", default: "1", describe: "MQTT QoS: 0 or 1" })
  .option("out", {
    type: "string",
    default: "results/network-profile.json",
    describe: "file the profile is written to",
  })
  .parserConfiguration({ "short-option-groups": false })
  .strict()
  .fail((message, error) => {
    const text = message.split("\n")[0];
    throw (
      error ??
      new UserInputError(
        `${text[0].toLowerCase()}${text.slice(1)}: run with --help for the options`,
      )
    );
  })
  .help();

await runCli(async () => {
  const args = await argv.parse();
  const loads = String(args.loads)
    .split(",")
    .map((text) => {
      const load = Number(text.trim());
      if (!(load > 0) || !Number.isFinite(load)) {
        throw new UserInputError(
          `invalid --loads entry "${text}": expected a positive number of records per second`,
        );
      }
      return load;
    });
  const seconds = Number(args.seconds);
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new UserInputError(
      `invalid --seconds "${String(args.seconds)}": expected a positive integer`,
    );
  }
  const qos = String(args.qos);
  if (qos !== "0" && qos !== "1")
    throw new UserInputError(`invalid --qos "${qos}": expected 0 or 1`);
  const kafka =
    args.kafka === undefined
      ? null
      : String(args.kafka)
          .split(",")
          .map((b) => b.trim());

  const profile = await measureNetworkProfile({
    mqttUrl: args.mqtt ?? null,
    kafkaBrokers: kafka,
    qos: Number(qos) as 0 | 1,
    loads,
    secondsPerLoad: seconds + 1,
    warmupSeconds: 1,
    pipeline: smartcity.pipeline,
    log: stderrLogger("warn"),
  });
  const out = resolve(args.out);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(profile, null, 2)}\n`);

  process.stdout.write(`load (rec/s)  measured (rec/s)  p50 (ms)  p95 (ms)  p99 (ms)\n`);
  for (const load of profile.loads) {
    process.stdout.write(
      `${String(load.recordsPerSec).padStart(12)}  ${load.measuredRecordsPerSec.toFixed(1).padStart(16)}  ` +
        `${(load.p50Us / 1e3).toFixed(2).padStart(8)}  ${(load.p95Us / 1e3).toFixed(2).padStart(8)}  ` +
        `${(load.p99Us / 1e3).toFixed(2).padStart(8)}\n`,
    );
  }
  process.stdout.write(`\nprofile: ${out}\n`);
});
