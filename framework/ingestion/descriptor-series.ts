/** Validation of a descriptor's `device`, `values`, `long` and `labels` sections. */
import type {
  DeviceSpec,
  FormatSpec,
  LabelColumn,
  LayoutSpec,
  LongParameter,
  ValueColumn,
} from "./descriptor.js";
import { readColumnRef } from "./descriptor-format.js";
import {
  childPath,
  type IssueList,
  readChoice,
  readObject,
  readString,
  readStringArray,
  rejectUnknownKeys,
} from "./json-fields.js";

/** Reads the `device` section; undefined, with issues recorded, when it is invalid. */
export function readDevice(
  value: unknown,
  path: string,
  format: FormatSpec,
  issues: IssueList,
): DeviceSpec | undefined {
  const object = readObject(value, path, issues);
  if (object === undefined) return undefined;
  const kind = readChoice(object, "kind", ["fixed", "column"], path, issues);
  if (kind === "fixed") {
    rejectUnknownKeys(object, ["kind", "id"], path, issues);
    const id = readString(object, "id", path, issues);
    if (id === "") issues.add(childPath(path, "id"), "must not be empty");
    return id ? { kind, id } : undefined;
  }
  if (kind === "column") {
    rejectUnknownKeys(object, ["kind", "column"], path, issues);
    const column = readColumnRef(object, "column", path, format, issues);
    return column === undefined ? undefined : { kind, column };
  }
  return undefined;
}

/** Reads a unit: a string, or null where the source states none. */
function readUnit(object: Record<string, unknown>, path: string, issues: IssueList) {
  if (object.unit === null) return null;
  const unit = readString(object, "unit", path, issues);
  if (unit === "") issues.add(childPath(path, "unit"), "must not be empty; use null for no unit");
  return unit;
}

function readValues(value: unknown, path: string, format: FormatSpec, issues: IssueList) {
  const object = readObject(value, path, issues) ?? {};
  const values: ValueColumn[] = [];
  for (const [metric, spec] of Object.entries(object)) {
    const specPath = childPath(path, metric);
    const specObject = readObject(spec, specPath, issues);
    if (specObject === undefined) continue;
    rejectUnknownKeys(specObject, ["column", "unit"], specPath, issues);
    const column = readColumnRef(specObject, "column", specPath, format, issues);
    const unit = readUnit(specObject, specPath, issues);
    if (column !== undefined && unit !== undefined) values.push({ metric, column, unit });
  }
  if (Object.keys(object).length === 0) issues.add(path, "must name at least one value column");
  return values;
}

function readLong(value: unknown, path: string, format: FormatSpec, issues: IssueList) {
  const object = readObject(value, path, issues);
  if (object === undefined) return undefined;
  const keys = ["parameterColumn", "valueColumn", "parameters", "exclude"];
  rejectUnknownKeys(object, keys, path, issues);

  const parameterColumn = readColumnRef(object, "parameterColumn", path, format, issues);
  const valueColumn = readColumnRef(object, "valueColumn", path, format, issues);
  const exclude = readStringArray(object, "exclude", path, issues, []);
  const parametersPath = childPath(path, "parameters");
  const parameters = new Map<string, LongParameter>();
  for (const [name, spec] of Object.entries(
    readObject(object.parameters, parametersPath, issues) ?? {},
  )) {
    const specPath = childPath(parametersPath, name);
    const specObject = readObject(spec, specPath, issues);
    if (specObject === undefined) continue;
    rejectUnknownKeys(specObject, ["unit", "missing"], specPath, issues);
    const unit = readUnit(specObject, specPath, issues);
    const missing = readStringArray(specObject, "missing", specPath, issues, []);
    if (unit !== undefined) parameters.set(name, { unit, missing });
    if (exclude.includes(name)) issues.add(specPath, "is also listed in exclude");
  }
  if (parameterColumn === undefined || valueColumn === undefined) return undefined;
  return { kind: "long" as const, parameterColumn, valueColumn, parameters, exclude };
}

/** Reads exactly one of `values` (wide layout) or `long` from the descriptor's root. */
export function readLayout(
  root: Record<string, unknown>,
  format: FormatSpec,
  issues: IssueList,
): LayoutSpec | undefined {
  const hasValues = root.values !== undefined;
  const hasLong = root.long !== undefined;
  if (hasValues === hasLong) {
    issues.add(
      "",
      `expected exactly one of "values" (one column per metric) or "long" (a parameter column and a value column)`,
    );
    return undefined;
  }
  if (hasLong) return readLong(root.long, "long", format, issues);
  return { kind: "wide", values: readValues(root.values, "values", format, issues) };
}

/** Reads the optional `labels` section: label name to `{ "column" }`. */
export function readLabels(
  value: unknown,
  path: string,
  format: FormatSpec,
  issues: IssueList,
): LabelColumn[] {
  if (value === undefined) return [];
  const labels: LabelColumn[] = [];
  for (const [name, spec] of Object.entries(readObject(value, path, issues) ?? {})) {
    const specPath = childPath(path, name);
    const specObject = readObject(spec, specPath, issues);
    if (specObject === undefined) continue;
    rejectUnknownKeys(specObject, ["column"], specPath, issues);
    const column = readColumnRef(specObject, "column", specPath, format, issues);
    if (column !== undefined) labels.push({ name, column });
  }
  return labels;
}
