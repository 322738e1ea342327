/**
 * An error caused by something the user supplied (a flag, a config file, a trace or its
 * descriptor). The CLI prints its message alone, on one line, and exits non-zero.
 */
export class UserInputError extends Error {
  override readonly name = "UserInputError";
}
