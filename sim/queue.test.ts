import { describe, expect, it } from "vitest";
import { EventQueue } from "./queue.js";

function drainTimes(queue: EventQueue): number[] {
  const times: number[] = [];
  while (queue.pop() !== undefined) times.push(queue.poppedTimeUs);
  return times;
}

describe("EventQueue", () => {
  it("pops events in time order", () => {
    const queue = new EventQueue();
    for (const t of [50, 10, 40, 20, 30, 0, 60]) queue.push(t, () => {});
    expect(drainTimes(queue)).toEqual([0, 10, 20, 30, 40, 50, 60]);
  });

  it("pops equal-time events in insertion order", () => {
    const queue = new EventQueue();
    const names: string[] = [];
    for (const name of ["a", "b", "c", "d", "e"]) queue.push(7, () => names.push(name));
    for (let callback = queue.pop(); callback !== undefined; callback = queue.pop()) callback();
    expect(names).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("keeps order through growth past its initial capacity", () => {
    const queue = new EventQueue();
    const times = Array.from({ length: 5_000 }, (_, i) => (i * 7919) % 5_000);
    for (const t of times) queue.push(t, () => {});
    expect(drainTimes(queue)).toEqual([...times].sort((a, b) => a - b));
  });

  it("skips cancelled events", () => {
    const queue = new EventQueue();
    queue.push(1, () => {});
    const cancelled = queue.push(2, () => {});
    queue.push(3, () => {});
    queue.cancel(cancelled);
    expect(drainTimes(queue)).toEqual([1, 3]);
  });

  it("counts only live events in size", () => {
    const queue = new EventQueue();
    const first = queue.push(1, () => {});
    queue.push(2, () => {});
    queue.cancel(first);
    expect(queue.size).toBe(1);
  });
});
