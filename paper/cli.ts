/**
 * `npm run paper -- results/<run-id>`: regenerates table.md, table.tex and the figures of a run
 * from the CSV files in its results directory, and prints the summary table to stdout.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";

import { UserInputError } from "../framework/runtime/user-input-error.js";
import { writeRunOutputs } from "./run-outputs.js";
import { syncFileNames } from "./sync-files.js";
import { writeSyncOutputs } from "./sync-outputs.js";

async function main(): Promise<void> {
  const argv = await yargs(hideBin(process.argv))
    .scriptName("npm run paper --")
    .command("$0 <run-dir>", "Regenerate the tables and figures of a run from its CSV files")
    .positional("run-dir", {
      type: "string",
      demandOption: true,
      describe: "Results directory of the run, such as results/<run-id>",
    })
    .option("figures", {
      type: "boolean",
      default: true,
      describe: "Render the figures; --no-figures writes only the tables",
    })
    .strict()
    .help()
    .parseAsync();

  const outputs = await writeRunOutputs(argv.runDir, { includesFigures: argv.figures });
  for (const path of outputs.writtenPaths) {
    process.stderr.write(`wrote ${path}\n`);
  }
  process.stdout.write(outputs.terminalTable);

  // Runs made with --sync also carry the sync comparison's files.
  if (existsSync(join(argv.runDir, syncFileNames.summary))) {
    const syncTable = await writeSyncOutputs(argv.runDir, { includesFigures: argv.figures });
    process.stdout.write(`\n${syncTable}`);
  }
}

try {
  await main();
} catch (error) {
  // User errors get one line and no stack trace; anything else is a bug and keeps its stack.
  if (!(error instanceof UserInputError)) {
    throw error;
  }
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
