import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { UserInputError } from "../framework/runtime/user-input-error.js";
import { formatCsvNumber, parseCsvText, readCsv, toCsvText, writeCsv } from "./csv.js";

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "paper-csv-"));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe("formatCsvNumber", () => {
  it.each([
    [42, "42"],
    [-0, "0"],
    [1 / 3, "0.333333"],
    [1234.56789, "1234.57"],
    [0.1 + 0.2, "0.3"],
    [1e-7 / 3, "3.33333e-8"],
    [2 ** 53 + 2, "9007199254740994"],
  ])("formats %s as %s", (value, expected) => {
    expect(formatCsvNumber(value)).toBe(expected);
  });

  it("rejects NaN", () => {
    expect(() => formatCsvNumber(Number.NaN)).toThrow(
      "cannot write NaN to CSV: write null for a value that was not measured",
    );
  });
});

describe("toCsvText", () => {
  it("writes zero, empty string and NA distinctly", () => {
    const text = toCsvText(["zero", "empty", "missing"], [{ zero: 0, empty: "", missing: null }]);

    expect(text).toBe('zero,empty,missing\n0,"",NA\n');
  });

  it("quotes strings that read as numbers or NA", () => {
    const text = toCsvText(["a", "b", "c"], [{ a: "NA", b: "12", c: "plain" }]);

    expect(text).toBe('a,b,c\n"NA","12",plain\n');
  });

  it("rejects a row with a column outside the header", () => {
    expect(() => toCsvText(["a"], [{ a: 1, b: 2 }])).toThrow(
      'row 0 has column "b", which is not in the header',
    );
  });

  it("rejects a row without a header column", () => {
    expect(() => toCsvText(["a", "b"], [{ a: 1 }])).toThrow(
      'row 0 has undefined in column "b": expected a number, a string or null',
    );
  });
});

describe("readCsv", () => {
  it("round-trips zero, empty string and NA", async () => {
    const path = join(directory, "round-trip.csv");
    const columns = ["policy", "zero", "empty", "missing", "text-na", "text-number", "share"];
    const rows = [
      {
        policy: "dqn, tuned",
        zero: 0,
        empty: "",
        missing: null,
        "text-na": "NA",
        "text-number": "007",
        share: 0.25,
      },
    ];
    await writeCsv(path, columns, rows);

    const table = await readCsv(path);

    expect(table.columns).toEqual(columns);
    expect(table.rows).toEqual(rows);
  });

  it("keeps zero a number", async () => {
    const path = join(directory, "zero.csv");
    await writeCsv(path, ["value"], [{ value: 0 }]);

    const table = await readCsv(path);

    expect(table.rows[0].value).toBe(0);
  });

  it("reads an unquoted empty field as an empty string", () => {
    const table = parseCsvText("a,b\n,1\n", "inline");

    expect(table.rows[0].a).toBe("");
  });

  it("writes the same bytes for the same rows", async () => {
    const rows = [{ cost: 1 / 7, policy: "ppo" }];
    await writeCsv(join(directory, "first.csv"), ["policy", "cost"], rows);
    await writeCsv(join(directory, "second.csv"), ["policy", "cost"], rows);

    const first = await readFile(join(directory, "first.csv"));
    const second = await readFile(join(directory, "second.csv"));

    expect(first.equals(second)).toBe(true);
  });

  it("keeps numeric header names as strings", () => {
    const table = parseCsvText("NA,007\n1,2\n", "inline");

    expect(table.columns).toEqual(["NA", "007"]);
  });

  it("rejects a repeated column", () => {
    expect(() => parseCsvText("a,a\n1,2\n", "inline")).toThrow(
      'invalid CSV in "inline": column "a" appears twice',
    );
  });

  it("rejects a missing file with its path", async () => {
    const path = join(directory, "absent.csv");

    await expect(readCsv(path)).rejects.toThrow(`file "${path}" not found`);
  });

  it("rejects rows of the wrong length", async () => {
    const path = join(directory, "ragged.csv");
    await writeFile(path, "a,b\n1,2,3\n", "utf8");

    await expect(readCsv(path)).rejects.toThrow(UserInputError);
  });
});
