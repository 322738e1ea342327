import { describe, expect, it } from "vitest";
import { loadZone, resolveLocalTime } from "./local-time.js";

const rome = loadZone("Europe/Rome")!;
const wall = (iso: string): number => Date.parse(`${iso}Z`) * 1000;
const utc = (iso: string): number => Date.parse(iso) * 1000;
const HOUR_US = 3_600_000_000;

describe("resolveLocalTime", () => {
  it("places a regular summer time", () => {
    expect(resolveLocalTime(wall("2021-07-01T12:00:00"), rome, undefined, 0)).toEqual({
      epochUs: utc("2021-07-01T10:00:00Z"),
      kind: "regular",
    });
  });

  it("gives the first pass of a repeated hour the summer offset", () => {
    const previous = utc("2021-10-30T23:45:00Z");
    expect(resolveLocalTime(wall("2021-10-31T02:00:00"), rome, previous, 0)).toEqual({
      epochUs: utc("2021-10-31T00:00:00Z"),
      kind: "ambiguous",
    });
  });

  it("gives the second pass of a repeated hour the standard offset", () => {
    const previous = utc("2021-10-31T00:45:00Z");
    expect(resolveLocalTime(wall("2021-10-31T02:00:00"), rome, previous, 0)).toEqual({
      epochUs: utc("2021-10-31T01:00:00Z"),
      kind: "ambiguous",
    });
  });

  it("shifts a nonexistent spring time forward", () => {
    expect(resolveLocalTime(wall("2021-03-28T02:30:00"), rome, undefined, 0)).toEqual({
      epochUs: utc("2021-03-28T01:30:00Z"),
      kind: "nonexistent",
    });
  });

  it("keeps a late logger on summer time after the change", () => {
    const previous = utc("2021-10-31T00:45:00Z");
    expect(resolveLocalTime(wall("2021-10-31T03:00:00"), rome, previous, HOUR_US)).toEqual({
      epochUs: utc("2021-10-31T01:00:00Z"),
      kind: "ambiguous",
    });
  });

  it("moves a late logger to standard time once it repeats", () => {
    const previous = utc("2021-10-31T01:45:00Z");
    expect(resolveLocalTime(wall("2021-10-31T03:00:00"), rome, previous, HOUR_US)).toEqual({
      epochUs: utc("2021-10-31T02:00:00Z"),
      kind: "ambiguous",
    });
  });

  it("follows the zone past the late fall-back allowance", () => {
    const previous = utc("2021-10-31T01:45:00Z");
    expect(resolveLocalTime(wall("2021-10-31T04:00:00"), rome, previous, HOUR_US)).toEqual({
      epochUs: utc("2021-10-31T03:00:00Z"),
      kind: "regular",
    });
  });

  it("applies a fixed offset", () => {
    const plusOne = loadZone("UTC+1")!;
    expect(resolveLocalTime(wall("2004-03-28T02:00:00"), plusOne, undefined, 0)).toEqual({
      epochUs: utc("2004-03-28T01:00:00Z"),
      kind: "regular",
    });
  });

  it("keeps microseconds", () => {
    const result = resolveLocalTime(wall("2021-07-01T12:00:00") + 7, rome, undefined, 0);
    expect(result.epochUs).toBe(utc("2021-07-01T10:00:00Z") + 7);
  });
});

describe("loadZone", () => {
  it("rejects an unknown name", () => {
    expect(loadZone("Mars/Olympus")).toBeUndefined();
  });

  it("rejects the machine zone", () => {
    expect(loadZone("system")).toBeUndefined();
  });
});
