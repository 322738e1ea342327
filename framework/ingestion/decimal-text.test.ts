import { describe, expect, it } from "vitest";
import { parseDecimal, parseFixedPoint } from "./decimal-text.js";

describe("parseDecimal", () => {
  it.each([
    ["-200.0", ".", -200],
    ["2,6", ",", 2.6],
    [" 0.7578 ", ".", 0.7578],
    [".5", ".", 0.5],
    ["+3", ".", 3],
    ["91.45716359999999", ".", 91.45716359999999],
  ])("reads %j with separator %j", (text, separator, expected) => {
    expect(parseDecimal(text, separator as "." | ",")).toBe(expected);
  });

  it.each(["", "NaN", "Infinity", "0x10", "1e3", "1.2.3", "2,6", "MV"])("rejects %j", (text) => {
    expect(parseDecimal(text, ".")).toBeUndefined();
  });
});

describe("parseFixedPoint", () => {
  it("truncates digits beyond the precision", () => {
    expect(parseFixedPoint("83.5038229", 6, ".")).toBe(83_503_822);
  });

  it("keeps the sign", () => {
    expect(parseFixedPoint("-1.5", 3, ".")).toBe(-1500);
  });

  it("rejects results beyond the safe integer range", () => {
    expect(parseFixedPoint("99999999999999999", 6, ".")).toBeUndefined();
  });
});
