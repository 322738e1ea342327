/**
 * The error boundary of every command: a user-input error prints its one-line message and
 * exits 2; anything else is a bug, printed with its stack, exiting 1.
 */
import type { Options } from "yargs";
import { UserInputError } from "../framework/runtime/user-input-error.js";

/** yargs definitions of the output flags every run command takes. */
export const outputOptions = {
  out: {
    type: "string",
    default: "results",
    describe: "folder that receives results/<run-id>/",
  },
  figures: {
    type: "boolean",
    default: true,
    describe: "render figures (--no-figures writes tables only)",
  },
} as const satisfies Record<string, Options>;

/** Runs `main`, turning errors into the exit codes above. */
export async function runCli(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof UserInputError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

/**
 * Handles a yargs parse failure: rethrows an error from the command's own code, and turns a
 * usage problem (unknown flag, missing argument) into a one-line UserInputError.
 */
export function rejectUsage(message: string, error: Error | undefined): never {
  if (error !== undefined) throw error;
  const text = message.split("\n")[0];
  throw new UserInputError(
    `${text[0].toLowerCase()}${text.slice(1)}: run with --help for the options`,
  );
}
