import { describe, expect, it } from "vitest";
import { checkPattern, parseElapsedUs, parseTimestamp } from "./time-format.js";

describe("parseTimestamp", () => {
  it("reads a pattern as a local wall time", () => {
    expect(parseTimestamp("18/08/2021 11:45:00", "dd/MM/yyyy HH:mm:ss", ".")).toEqual({
      kind: "local",
      wallUs: Date.UTC(2021, 7, 18, 11, 45) * 1000,
    });
  });

  it("keeps a fraction after trailing seconds", () => {
    expect(parseTimestamp("2015-09-11 15:34:00.000250", "yyyy-MM-dd HH:mm:ss", ".")).toEqual({
      kind: "local",
      wallUs: Date.UTC(2015, 8, 11, 15, 34) * 1000 + 250,
    });
  });

  it("reads dotted times", () => {
    expect(parseTimestamp("10/03/2004 18.00.00", "dd/MM/yyyy HH.mm.ss", ".")).toEqual({
      kind: "local",
      wallUs: Date.UTC(2004, 2, 10, 18) * 1000,
    });
  });

  it("rejects unpadded fields for padded tokens", () => {
    expect(parseTimestamp("2004-3-1 01:00:00", "yyyy-MM-dd HH:mm:ss", ".")).toBeUndefined();
  });

  it("rejects an impossible date", () => {
    expect(parseTimestamp("2021-02-30 10:00:00", "yyyy-MM-dd HH:mm:ss", ".")).toBeUndefined();
  });

  it("reads ISO with an offset as an instant", () => {
    expect(parseTimestamp("2019-06-11T21:03:55.123456+02:00", "iso", ".")).toEqual({
      kind: "instant",
      epochUs: Date.UTC(2019, 5, 11, 19, 3, 55) * 1000 + 123_456,
    });
  });

  it("reads ISO without an offset as local", () => {
    expect(parseTimestamp("2019-06-11 19:03:55", "iso", ".")).toEqual({
      kind: "local",
      wallUs: Date.UTC(2019, 5, 11, 19, 3, 55) * 1000,
    });
  });

  it("reads epoch seconds exactly", () => {
    expect(parseTimestamp("1560279825.000001", "epochSeconds", ".")).toEqual({
      kind: "instant",
      epochUs: 1_560_279_825_000_001,
    });
  });

  it("reads epoch seconds with a decimal comma", () => {
    expect(parseTimestamp("1560279825,5", "epochSeconds", ",")).toEqual({
      kind: "instant",
      epochUs: 1_560_279_825_500_000,
    });
  });

  it("reads epoch milliseconds", () => {
    expect(parseTimestamp("1560279825123", "epochMillis", ".")).toEqual({
      kind: "instant",
      epochUs: 1_560_279_825_123_000,
    });
  });

  it("rejects exponent notation for epochs", () => {
    expect(parseTimestamp("1.56e9", "epochSeconds", ".")).toBeUndefined();
  });
});

describe("parseElapsedUs", () => {
  it("reads hours past 24", () => {
    expect(parseElapsedUs("47:37", "hours:minutes", ".")).toBe((47 * 60 + 37) * 60_000_000);
  });

  it("rejects minutes past 59", () => {
    expect(parseElapsedUs("10:60", "hours:minutes", ".")).toBeUndefined();
  });

  it("reads fractional seconds", () => {
    expect(parseElapsedUs("83.503822", "seconds", ".")).toBe(83_503_822);
  });

  it("reads hours, minutes and seconds", () => {
    expect(parseElapsedUs("25:00:01.5", "hours:minutes:seconds", ".")).toBe(90_001_500_000);
  });
});

describe("checkPattern", () => {
  it("accepts a day-first pattern", () => {
    expect(checkPattern("dd-MM-yyyy HH:mm:ss")).toBeUndefined();
  });

  it("rejects a pattern without a year", () => {
    expect(checkPattern("dd/MM HH:mm")).toBe(
      'pattern "dd/MM HH:mm" does not read back a full date (year, month and day)',
    );
  });

  it("allows Y and D inside quoted literals", () => {
    expect(checkPattern("yyyy-MM-dd'D'HH:mm")).toBeUndefined();
  });
});
