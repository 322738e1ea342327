/**
 * Overrides of a scenario's defaults from a JSON file: every field the file sets replaces the
 * default at the same path, objects merge field by field and arrays replace whole. Every
 * problem is gathered with its path before one error reports them all.
 */
import { readFileSync } from "node:fs";
import { UserInputError } from "../framework/runtime/user-input-error.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Reads a JSON config file, with a one-line error for a missing or malformed file. */
export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UserInputError(`cannot read config file "${path}": ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserInputError(
      `config file "${path}" is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UserInputError(`config file "${path}" must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Returns `defaults` with `overrides` merged in. A field absent from the defaults, or of a
 * different JSON type, is an error naming its path and what is expected there.
 */
export function mergeOverrides<T>(
  defaults: T,
  overrides: Record<string, unknown>,
  source: string,
): T {
  const issues: string[] = [];
  const merged = mergeValue(defaults as Json, overrides as Json, "", issues);
  if (issues.length > 0)
    throw new UserInputError(`invalid overrides in ${source}: ${issues.join("; ")}`);
  return merged as T;
}

function mergeValue(base: Json, override: Json, path: string, issues: string[]): Json {
  if (isObject(base)) {
    if (!isObject(override)) {
      issues.push(`${path || "the config"} is ${describe(override)}: expected an object`);
      return base;
    }
    const result: { [key: string]: Json } = { ...base };
    for (const [key, value] of Object.entries(override)) {
      const childPath = path === "" ? key : `${path}.${key}`;
      if (!(key in base)) {
        const known = Object.keys(base).sort().join(", ");
        issues.push(`unknown field "${childPath}": expected one of ${known}`);
        continue;
      }
      result[key] = mergeValue(base[key], value, childPath, issues);
    }
    return result;
  }
  if (base !== null && override !== null && jsonType(base) !== jsonType(override)) {
    issues.push(`${path} is ${describe(override)}: expected ${jsonType(base)}`);
    return base;
  }
  return override;
}

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function jsonType(value: Json): string {
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

function describe(value: Json): string {
  return `${JSON.stringify(value)} (${jsonType(value)})`;
}
