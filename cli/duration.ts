/** Parsing of durations given on the command line, such as `90s`, `30m`, `24h` or `2d`. */
import { UserInputError } from "../framework/runtime/user-input-error.js";

const UNIT_US: Record<string, number> = {
  ms: 1_000,
  s: 1_000_000,
  m: 60_000_000,
  h: 3_600_000_000,
  d: 86_400_000_000,
};

/** Returns the duration in integer microseconds, or throws naming the flag and the value. */
export function parseDurationUs(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  const valueUs = match === null ? Number.NaN : Math.round(Number(match[1]) * UNIT_US[match[2]]);
  if (!(valueUs > 0)) {
    throw new UserInputError(
      `invalid ${flag} "${text}": expected a positive duration such as 500ms, 90s, 30m, 24h or 2d`,
    );
  }
  return valueUs;
}
