/**
 * Checks for numeric options of the processing operators. Each check returns a one-line problem
 * description, or null when the value is valid, so that spec validation and operator
 * constructors can both report every problem in one message.
 */

import { UserInputError } from "../runtime/user-input-error.js";

/** Describes why `value` at `path` is not an integer of at least `min`, or returns null. */
export function integerIssue(path: string, value: unknown, min: number): string | null {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= min) {
    return null;
  }
  const expected = min === 0 ? "a non-negative integer" : `an integer of at least ${min}`;
  return `${path} is ${formatValue(value)}: expected ${expected}`;
}

/** Describes why `value` at `path` is not a finite number above zero, or returns null. */
export function positiveNumberIssue(path: string, value: unknown): string | null {
  if (typeof value === "number" && Number.isFinite(value) && value > 0) {
    return null;
  }
  return `${path} is ${formatValue(value)}: expected a finite number above 0`;
}

/** Throws a `UserInputError` that lists every non-null issue after `invalid <context>`. */
export function throwIfAnyIssue(context: string, issues: readonly (string | null)[]): void {
  const problems = issues.filter((issue): issue is string => issue !== null);
  if (problems.length > 0) {
    throw new UserInputError(`invalid ${context}: ${problems.join("; ")}`);
  }
}

/** Renders a value for an error message: strings quoted, numbers as text, others as JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === "string") {
    return `"${value}"`;
  }
  if (typeof value === "number") {
    return String(value);
  }
  return value === undefined ? "missing" : JSON.stringify(value);
}
