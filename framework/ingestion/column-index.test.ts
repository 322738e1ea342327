import { describe, expect, it } from "vitest";
import { ColumnIndex } from "./column-index.js";

const header = [
  "Read_NO",
  "Timestamp",
  " PAR (µmol/m²/s)",
  " Water Content 1 (m³/m³)",
  "  Water Content 1 (m³/m³)",
];

describe("ColumnIndex", () => {
  it("matches names after trimming", () => {
    expect(new ColumnIndex(header).find("PAR (µmol/m²/s)")).toBe(2);
  });

  it("finds the first of duplicate names", () => {
    expect(new ColumnIndex(header).find("Water Content 1 (m³/m³)")).toBe(3);
  });

  it("finds the second of duplicate names with #2", () => {
    expect(new ColumnIndex(header).find("Water Content 1 (m³/m³)#2")).toBe(4);
  });

  it("returns undefined for a third occurrence", () => {
    expect(new ColumnIndex(header).find("Water Content 1 (m³/m³)#3")).toBeUndefined();
  });

  it("strips a byte order mark", () => {
    expect(new ColumnIndex(["\uFEFFtimestamp", "value"]).find("timestamp")).toBe(0);
  });

  it("accepts a 1-based position", () => {
    expect(new ColumnIndex(header).find(2)).toBe(1);
  });

  it("rejects a position past the header", () => {
    expect(new ColumnIndex(header).find(6)).toBeUndefined();
  });

  it("accepts any position without a header", () => {
    expect(new ColumnIndex(undefined).find(9)).toBe(8);
  });

  it("lists every missing column in one message", () => {
    const index = new ColumnIndex(["timestamp", "value"]);
    expect(() => index.resolveAll(["time", "value", 4], "t.csv", "d.json")).toThrow(
      'trace "t.csv" does not match descriptor "d.json": columns "time", 4 not found; the header has "timestamp", "value"',
    );
  });
});
