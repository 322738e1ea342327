import { describe, expect, it } from "vitest";
import { topicMatches } from "./topic-pattern.js";

describe("topicMatches", () => {
  const cases: [string, string, boolean][] = [
    ["city/a/temp", "city/a/temp", true],
    ["city/+/temp", "city/a/temp", true],
    ["city/+/temp", "city/a/b/temp", false],
    ["city/#", "city/a/b/temp", true],
    ["city/#", "city", true],
    ["city/a", "city/a/temp", false],
    ["city/a/temp", "city/a", false],
    ["+", "city", true],
  ];
  for (const [pattern, topic, expected] of cases) {
    it(`${expected ? "matches" : "rejects"} ${topic} against ${pattern}`, () => {
      expect(topicMatches(pattern, topic)).toBe(expected);
    });
  }
});
