/**
 * CSV files of run results, written so that a value that was not measured, an empty string and
 * zero stay distinct and survive a round trip, and so that the same rows give the same bytes.
 *
 * In the file, `NA` unquoted is a value that was not measured, `""` is an empty string, and an
 * unquoted number is a number. A string that could be read as NA or as a number is quoted.
 */
import { writeFile } from "node:fs/promises";

import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";

import { UserInputError } from "../framework/runtime/user-input-error.js";
import { readTextFile } from "./text-file.js";

/** One cell: a number, a string, or null for a value that was not measured. */
export type CellValue = number | string | null;

/** One row, keyed by column name. */
export type CsvRow = Record<string, CellValue>;

/** Header and rows of a CSV file. */
export interface CsvTable {
  readonly columns: string[];
  readonly rows: CsvRow[];
}

/** Token for a value that was not measured. */
export const notMeasuredToken = "NA";

/** Significant digits kept for numbers that are not integers. */
export const significantDigits = 6;

/** Numbers as the writer prints them and as the reader accepts them unquoted. */
const numberPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Formats a finite number for a CSV cell. Integers print in full below 1e21 (and as 1e+21
 * above). Other numbers are rounded to `significantDigits` significant digits with
 * `toPrecision`, then printed in JavaScript's shortest form: 0.1, 1234.57, 1.23457e-7, and
 * 1234570 for 1234567.5. Neither step depends on the locale. Throws Error for NaN and
 * infinities, because null is how a missing value is written.
 */
export function formatCsvNumber(value: number): string {
  if (!Number.isFinite(value)) {
    throw new Error(`cannot write ${value} to CSV: write null for a value that was not measured`);
  }
  if (Number.isInteger(value)) {
    return String(value === 0 ? 0 : value);
  }
  return String(Number(value.toPrecision(significantDigits)));
}

/** Returns the CSV text of `rows` under a header of `columns`, ending with a newline. */
export function toCsvText(columns: readonly string[], rows: readonly CsvRow[]): string {
  rows.forEach((row, index) => checkRow(columns, row, index));

  return stringify(rows as CsvRow[], {
    header: true,
    columns: [...columns],
    record_delimiter: "\n",
    cast: {
      number: (value) => formatCsvNumber(value),
      null: () => notMeasuredToken,
      string: (value) =>
        isAmbiguousString(value) ? { value, quoted: true, quoted_empty: true } : value,
    },
  });
}

/** Writes `rows` to a CSV file at `path` under a header of `columns`. */
export async function writeCsv(
  path: string,
  columns: readonly string[],
  rows: readonly CsvRow[],
): Promise<void> {
  await writeFile(path, toCsvText(columns, rows), "utf8");
}

/**
 * Parses CSV text whose first record is the header. In the other records, unquoted `NA`
 * becomes null, an unquoted number becomes a number, and every other field becomes a string.
 * An unquoted empty field is the empty string. `source` names the text in errors. Throws
 * UserInputError for malformed CSV or a repeated column name.
 */
export function parseCsvText(text: string, source: string): CsvTable {
  let records: CellValue[][];
  try {
    records = parse(text, {
      // Header names stay strings; `records` counts the records parsed before this one.
      cast: (field, context) =>
        context.records === 0 || context.quoting ? field : parseUnquotedField(field),
    }) as CellValue[][];
  } catch (error) {
    throw new UserInputError(`invalid CSV in "${source}": ${(error as Error).message}`);
  }

  const [header, ...body] = records;
  if (header === undefined) {
    throw new UserInputError(`invalid CSV in "${source}": the header row is missing`);
  }
  const columns = header.map(String);
  const repeated = columns.find((column, index) => columns.indexOf(column) !== index);
  if (repeated !== undefined) {
    throw new UserInputError(`invalid CSV in "${source}": column "${repeated}" appears twice`);
  }

  const rows = body.map((record) => {
    const row: CsvRow = {};
    for (const [index, column] of columns.entries()) {
      row[column] = record[index];
    }
    return row;
  });
  return { columns, rows };
}

/** Reads the CSV file at `path`. Throws UserInputError if it is missing or malformed. */
export async function readCsv(path: string): Promise<CsvTable> {
  return parseCsvText(await readTextFile(path), path);
}

function parseUnquotedField(field: string): CellValue {
  if (field === notMeasuredToken) {
    return null;
  }
  return numberPattern.test(field) ? Number(field) : field;
}

function isAmbiguousString(value: string): boolean {
  return value === "" || value === notMeasuredToken || numberPattern.test(value);
}

function checkRow(columns: readonly string[], row: CsvRow, index: number): void {
  for (const column of columns) {
    const value: unknown = row[column];
    const isCell = value === null || typeof value === "string" || typeof value === "number";
    if (!isCell) {
      throw new Error(
        `row ${index} has ${String(value)} in column "${column}": ` +
          "expected a number, a string or null",
      );
    }
  }

  for (const key of Object.keys(row)) {
    if (!columns.includes(key)) {
      throw new Error(`row ${index} has column "${key}", which is not in the header`);
    }
  }
}
