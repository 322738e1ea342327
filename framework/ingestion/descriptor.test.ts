import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDescriptorFile, parseDescriptor } from "./descriptor.js";

const minimal = {
  time: { kind: "column", column: "timestamp", format: "iso" },
  device: { kind: "fixed", id: "sensor-1" },
  values: { temperature: { column: "temp", unit: "°C" } },
};

function errorOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
  return "no error";
}

describe("parseDescriptor", () => {
  it("fills format defaults", () => {
    expect(parseDescriptor(minimal, "d.json").format).toEqual({
      delimiter: ",",
      decimalSeparator: ".",
      hasHeader: true,
      skipLines: 0,
      skipBlankLines: true,
      skipEmptyRows: false,
      ignoreRows: [],
      commentPrefix: undefined,
      allowShortRows: false,
    });
  });

  it("treats only empty fields as missing by default", () => {
    expect(parseDescriptor(minimal, "d.json").missing).toEqual([""]);
  });

  it("reads a wide layout", () => {
    expect(parseDescriptor(minimal, "d.json").layout).toEqual({
      kind: "wide",
      values: [{ metric: "temperature", column: "temp", unit: "°C" }],
    });
  });

  it("reads minutes of late fall-back as microseconds", () => {
    const time = {
      kind: "column",
      column: "t",
      format: "dd/MM/yyyy HH:mm:ss",
      timeZone: "Europe/Rome",
      lateFallBackMinutes: 60,
    };
    expect(parseDescriptor({ ...minimal, time }, "d.json").time).toMatchObject({
      lateFallBackUs: 3_600_000_000,
    });
  });

  it("reads a fixed start instant", () => {
    const time = {
      kind: "elapsed",
      column: "Time",
      format: "hours:minutes",
      start: "2012-01-01T00:00:00Z",
    };
    expect(parseDescriptor({ ...minimal, time }, "d.json").time).toMatchObject({
      start: { kind: "fixed", epochUs: 1_325_376_000_000_000 },
    });
  });

  it("gathers every problem with its path", () => {
    const broken = {
      format: { delimiter: ";;", decimalSeparator: ",", skipLines: -1 },
      time: { kind: "column", column: "", format: "DD/MM/YYYY HH:mm:ss", timeZone: "Europe/Rom" },
      device: { kind: "fixed" },
      values: { temperature: { column: "temp", unit: 3 }, humidity: { colum: "rh", unit: "%" } },
      missing: "NaN",
      extra: true,
    };
    expect(errorOf(() => parseDescriptor(broken, "broken.json"))).toBe(
      'UserInputError: invalid trace descriptor "broken.json": ' +
        'extra: unknown key; expected one of "notes", "format", "time", "device", "values", "long", "labels", "missing"; ' +
        'format.delimiter: expected one character other than a quote or a line break, found ";;"; ' +
        "format.skipLines: expected an integer from 0 to 1000, found -1; " +
        'time.column: expected a column name or a 1-based position, found ""; ' +
        'time.format: pattern "DD/MM/YYYY HH:mm:ss" uses "Y" or "D", which are not luxon date tokens; write the year as "yyyy" and the day as "dd"; ' +
        'time.timeZone: unknown time zone "Europe/Rom"; expected an IANA name such as "Europe/Rome", "UTC" or a fixed offset such as "UTC+1"; ' +
        "device.id: expected a string, found nothing; " +
        "values.temperature.unit: expected a string, found 3; " +
        'values.humidity.colum: unknown key; expected one of "column", "unit"; ' +
        "values.humidity.column: expected a column name or a 1-based position, found nothing; " +
        'missing: expected an array of strings, found "NaN"',
    );
  });

  it("requires exactly one of values and long", () => {
    const both = { ...minimal, long: { parameterColumn: "p", valueColumn: "v", parameters: {} } };
    expect(errorOf(() => parseDescriptor(both, "d.json"))).toBe(
      'UserInputError: invalid trace descriptor "d.json": expected exactly one of "values" (one column per metric) or "long" (a parameter column and a value column)',
    );
  });

  it("rejects column names without a header", () => {
    const headless = { ...minimal, format: { hasHeader: false } };
    expect(errorOf(() => parseDescriptor(headless, "d.json"))).toBe(
      'UserInputError: invalid trace descriptor "d.json": time.column: column name "timestamp" needs a header row; use a 1-based position; values.temperature.column: column name "temp" needs a header row; use a 1-based position',
    );
  });

  it("requires a zone for local-time patterns", () => {
    const time = { kind: "column", column: "t", format: "yyyy-MM-dd HH:mm:ss" };
    expect(errorOf(() => parseDescriptor({ ...minimal, time }, "d.json"))).toBe(
      'UserInputError: invalid trace descriptor "d.json": time.timeZone: is required for local times, e.g. "Europe/Rome"',
    );
  });

  it("rejects a pattern without a full date", () => {
    const time = { kind: "column", column: "t", format: "HH:mm:ss", timeZone: "UTC" };
    expect(errorOf(() => parseDescriptor({ ...minimal, time }, "d.json"))).toBe(
      'UserInputError: invalid trace descriptor "d.json": time.format: pattern "HH:mm:ss" does not read back a full date (year, month and day)',
    );
  });

  it("rejects the machine's own zone", () => {
    const time = { kind: "column", column: "t", format: "yyyy-MM-dd HH:mm", timeZone: "local" };
    expect(errorOf(() => parseDescriptor({ ...minimal, time }, "d.json"))).toContain(
      'unknown time zone "local"',
    );
  });

  it("rejects a preamble line outside the skipped lines", () => {
    const sampled = {
      ...minimal,
      format: { hasHeader: false, skipLines: 1 },
      time: { kind: "sampled", start: { line: 1, format: "epochSeconds" }, rateHz: { line: 2 } },
      values: { hr: { column: 1, unit: "bpm" } },
    };
    expect(errorOf(() => parseDescriptor(sampled, "d.json"))).toBe(
      'UserInputError: invalid trace descriptor "d.json": time.rateHz.line: line 2 is not in the preamble; set format.skipLines to at least 2',
    );
  });

  it("rejects a start instant without an offset", () => {
    const time = {
      kind: "elapsed",
      column: "Time",
      format: "seconds",
      start: "2012-01-01T00:00:00",
    };
    expect(errorOf(() => parseDescriptor({ ...minimal, time }, "d.json"))).toBe(
      'UserInputError: invalid trace descriptor "d.json": time.start: expected an ISO 8601 instant with an offset, e.g. "2012-01-01T00:00:00Z", found "2012-01-01T00:00:00"',
    );
  });

  it("rejects a decimal separator equal to the delimiter", () => {
    const format = { delimiter: ",", decimalSeparator: "," };
    expect(errorOf(() => parseDescriptor({ ...minimal, format }, "d.json"))).toBe(
      'UserInputError: invalid trace descriptor "d.json": format.decimalSeparator: must differ from the delimiter ","',
    );
  });

  it("rejects a document that is not an object", () => {
    expect(errorOf(() => parseDescriptor([], "d.json"))).toContain(
      'invalid trace descriptor "d.json": expected an object, found an array',
    );
  });
});

describe("loadDescriptorFile", () => {
  it("names a missing file", async () => {
    const missing = join(tmpdir(), "no-such-descriptor.json");
    await expect(loadDescriptorFile(missing)).rejects.toThrow(
      `cannot read trace descriptor "${missing}": file not found`,
    );
  });

  it("names a file that is not JSON", async () => {
    const directory = await mkdtemp(join(tmpdir(), "descriptor-"));
    const path = join(directory, "bad.json");
    await writeFile(path, "{ time: ");
    try {
      await expect(loadDescriptorFile(path)).rejects.toThrow(
        `invalid JSON in trace descriptor "${path}": `,
      );
    } finally {
      await rm(directory, { recursive: true });
    }
  });
});
