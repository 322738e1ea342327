/**
 * Typed reads from untrusted JSON that record a problem with its path instead of throwing, so a
 * validator can report every problem at once.
 */

/** Problems found so far, each as `path: message`. */
export class IssueList {
  readonly issues: string[] = [];

  /** Records one problem at a JSON path such as `values.CO(GT).unit`. */
  add(path: string, message: string): void {
    this.issues.push(path === "" ? message : `${path}: ${message}`);
  }

  /** Number of problems recorded. */
  get size(): number {
    return this.issues.length;
  }
}

/** Describes a JSON value for a message, e.g. `"abc"`, `42`, `an object`. */
export function describeJson(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return JSON.stringify(value);
}

/** Joins a parent path and a key the way messages show it. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  return parent === "" ? key : `${parent}.${key}`;
}

/** Returns true for a plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads an object, recording an issue when `value` is not one. */
export function readObject(
  value: unknown,
  path: string,
  issues: IssueList,
): Record<string, unknown> | undefined {
  if (isObject(value)) return value;
  issues.add(path, `expected an object, found ${describeJson(value)}`);
  return undefined;
}

/** Records an issue for every key of `object` outside `allowed`, which catches misspelt keys. */
export function rejectUnknownKeys(
  object: Record<string, unknown>,
  allowed: readonly string[],
  path: string,
  issues: IssueList,
): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) {
      const expected = allowed.map((name) => `"${name}"`).join(", ");
      issues.add(childPath(path, key), `unknown key; expected one of ${expected}`);
    }
  }
}

/** Reads a string field; `fallback` is used when the key is absent. */
export function readString(
  object: Record<string, unknown>,
  key: string,
  path: string,
  issues: IssueList,
  fallback?: string,
): string | undefined {
  const value = object[key];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value === "string") return value;
  issues.add(childPath(path, key), `expected a string, found ${describeJson(value)}`);
  return undefined;
}

/** Reads an optional string field; undefined when the key is absent. */
export function readOptionalString(
  object: Record<string, unknown>,
  key: string,
  path: string,
  issues: IssueList,
): string | undefined {
  if (object[key] === undefined) return undefined;
  return readString(object, key, path, issues);
}

/** Reads a boolean field; `fallback` is used when the key is absent. */
export function readBoolean(
  object: Record<string, unknown>,
  key: string,
  path: string,
  issues: IssueList,
  fallback: boolean,
): boolean {
  const value = object[key];
  if (value === undefined) return fallback;
  if (typeof value === "boolean") return value;
  issues.add(childPath(path, key), `expected true or false, found ${describeJson(value)}`);
  return fallback;
}

/** Reads an integer field within `[min, max]`; `fallback` is used when the key is absent. */
export function readInteger(
  object: Record<string, unknown>,
  key: string,
  path: string,
  issues: IssueList,
  range: { min: number; max: number; fallback?: number },
): number | undefined {
  const value = object[key];
  if (value === undefined && range.fallback !== undefined) return range.fallback;
  if (typeof value === "number" && Number.isInteger(value)) {
    if (value >= range.min && value <= range.max) return value;
  }
  const expected = `an integer from ${range.min} to ${range.max}`;
  issues.add(childPath(path, key), `expected ${expected}, found ${describeJson(value)}`);
  return undefined;
}

/** Reads one of a fixed set of strings; `fallback` is used when the key is absent. */
export function readChoice<T extends string>(
  object: Record<string, unknown>,
  key: string,
  choices: readonly T[],
  path: string,
  issues: IssueList,
  fallback?: T,
): T | undefined {
  const value = object[key];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value === "string" && (choices as readonly string[]).includes(value)) {
    return value as T;
  }
  const expected = choices.map((choice) => `"${choice}"`).join(", ");
  issues.add(childPath(path, key), `expected one of ${expected}, found ${describeJson(value)}`);
  return undefined;
}

/** Reads an array of strings; `fallback` is used when the key is absent. */
export function readStringArray(
  object: Record<string, unknown>,
  key: string,
  path: string,
  issues: IssueList,
  fallback: string[],
): string[] {
  const value = object[key];
  if (value === undefined) return fallback;
  if (!Array.isArray(value)) {
    issues.add(childPath(path, key), `expected an array of strings, found ${describeJson(value)}`);
    return fallback;
  }
  const strings: string[] = [];
  value.forEach((item, index) => {
    if (typeof item === "string") strings.push(item);
    else
      issues.add(
        childPath(childPath(path, key), index),
        `expected a string, found ${describeJson(item)}`,
      );
  });
  return strings;
}
