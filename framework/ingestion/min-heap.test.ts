import { describe, expect, it } from "vitest";
import { MinHeap } from "./min-heap.js";

describe("MinHeap", () => {
  it("pops in ascending order", () => {
    const heap = new MinHeap<number>((a, b) => a - b);
    for (const value of [5, 3, 9, 1, 7, 3, 0, 8]) heap.push(value);
    const popped: number[] = [];
    while (heap.size > 0) popped.push(heap.pop()!);
    expect(popped).toEqual([0, 1, 3, 3, 5, 7, 8, 9]);
  });

  it("returns undefined when empty", () => {
    expect(new MinHeap<number>((a, b) => a - b).pop()).toBeUndefined();
  });
});
