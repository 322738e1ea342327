/** Reading of the text files in a results directory, with user-facing errors. */
import { readFile } from "node:fs/promises";

import { UserInputError } from "../framework/runtime/user-input-error.js";

/**
 * Reads the UTF-8 file at `path`. Throws UserInputError naming the path if it does not exist
 * or is a directory.
 */
export async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new UserInputError(`file "${path}" not found`);
    }
    if ((error as NodeJS.ErrnoException).code === "EISDIR") {
      throw new UserInputError(`"${path}" is a directory: expected a file`);
    }
    throw error;
  }
}
