/** Validation of a descriptor's `format` section and of column references. */
import type { ColumnRef, FormatSpec } from "./descriptor.js";
import {
  childPath,
  describeJson,
  type IssueList,
  readBoolean,
  readChoice,
  readInteger,
  readObject,
  readOptionalString,
  readString,
  readStringArray,
  rejectUnknownKeys,
} from "./json-fields.js";

const FORMAT_KEYS = [
  "delimiter",
  "decimalSeparator",
  "hasHeader",
  "skipLines",
  "skipBlankLines",
  "skipEmptyRows",
  "ignoreRows",
  "commentPrefix",
  "allowShortRows",
];

/** Reads the `format` section, filling defaults; records problems in `issues`. */
export function readFormat(value: unknown, path: string, issues: IssueList): FormatSpec {
  const object = readObject(value, path, issues) ?? {};
  rejectUnknownKeys(object, FORMAT_KEYS, path, issues);

  const delimiter = readString(object, "delimiter", path, issues, ",") ?? ",";
  if (delimiter.length !== 1 || /["\r\n]/.test(delimiter)) {
    issues.add(
      childPath(path, "delimiter"),
      `expected one character other than a quote or a line break, found ${describeJson(delimiter)}`,
    );
  }
  const decimalSeparator = readChoice(object, "decimalSeparator", [".", ","], path, issues, ".");
  if (decimalSeparator === delimiter) {
    issues.add(
      childPath(path, "decimalSeparator"),
      `must differ from the delimiter ${describeJson(delimiter)}`,
    );
  }
  const commentPrefix = readOptionalString(object, "commentPrefix", path, issues);
  if (commentPrefix === "") issues.add(childPath(path, "commentPrefix"), "must not be empty");

  return {
    delimiter,
    decimalSeparator: decimalSeparator ?? ".",
    hasHeader: readBoolean(object, "hasHeader", path, issues, true),
    skipLines:
      readInteger(object, "skipLines", path, issues, { min: 0, max: 1000, fallback: 0 }) ?? 0,
    skipBlankLines: readBoolean(object, "skipBlankLines", path, issues, true),
    skipEmptyRows: readBoolean(object, "skipEmptyRows", path, issues, false),
    ignoreRows: readStringArray(object, "ignoreRows", path, issues, []).map((row) => row.trim()),
    commentPrefix,
    allowShortRows: readBoolean(object, "allowShortRows", path, issues, false),
  };
}

/**
 * Reads a column reference: a header name, or a 1-based position. Names need a header row.
 * Returns undefined, with an issue recorded, when the reference is invalid.
 */
export function readColumnRef(
  object: Record<string, unknown>,
  key: string,
  path: string,
  format: FormatSpec,
  issues: IssueList,
): ColumnRef | undefined {
  const value = object[key];
  const fieldPath = childPath(path, key);
  if (typeof value === "number" && Number.isInteger(value) && value >= 1) return value;
  if (typeof value === "string" && value.trim() !== "") {
    if (!format.hasHeader) {
      issues.add(
        fieldPath,
        `column name ${describeJson(value)} needs a header row; use a 1-based position`,
      );
      return undefined;
    }
    return value.trim();
  }
  issues.add(
    fieldPath,
    `expected a column name or a 1-based position, found ${describeJson(value)}`,
  );
  return undefined;
}
