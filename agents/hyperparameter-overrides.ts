/**
 * Overrides of an agent's hyperparameters from a JSON file and from `--set KEY=VALUE` flags,
 * checked against the defaults: every key must exist and keep its type.
 */
import { readFileSync } from "node:fs";
import { UserInputError } from "../framework/runtime/user-input-error.js";

/** Returns `defaults` with the file's fields, then the `--set` assignments, applied. */
export function applyOverrides<T extends object>(
  defaults: T,
  filePath: string | undefined,
  assignments: readonly string[],
): T {
  const result = { ...defaults } as Record<string, unknown>;
  if (filePath !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(filePath, "utf8"));
    } catch (error) {
      throw new UserInputError(
        `cannot read hyperparameters "${filePath}": ${(error as Error).message}`,
      );
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new UserInputError(`hyperparameters "${filePath}" must hold a JSON object`);
    }
    for (const [key, value] of Object.entries(parsed)) assign(result, key, value, filePath);
  }
  for (const assignment of assignments) {
    const match = /^([A-Za-z]+)=(.+)$/.exec(assignment);
    if (match === null) {
      throw new UserInputError(
        `invalid --set "${assignment}": expected KEY=VALUE, for example learningRate=0.001`,
      );
    }
    assign(result, match[1], parseValue(match[2]), "--set");
  }
  return result as T;
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function assign(
  target: Record<string, unknown>,
  key: string,
  value: unknown,
  origin: string,
): void {
  if (!(key in target)) {
    throw new UserInputError(
      `unknown hyperparameter "${key}" in ${origin}: expected one of ${Object.keys(target).join(", ")}`,
    );
  }
  const expected = target[key];
  const isSameKind = Array.isArray(expected)
    ? Array.isArray(value) && value.every((v) => typeof v === "number" && v > 0)
    : typeof value === typeof expected && (typeof value !== "number" || Number.isFinite(value));
  if (!isSameKind) {
    const kind = Array.isArray(expected) ? "a list of positive numbers" : `a ${typeof expected}`;
    throw new UserInputError(
      `invalid hyperparameter ${key}=${JSON.stringify(value)} in ${origin}: expected ${kind}`,
    );
  }
  target[key] = value;
}
