import { describe, expect, it } from "vitest";
import { Simulator } from "./simulator.js";

describe("Simulator", () => {
  it("runs callbacks at their scheduled times", () => {
    const sim = new Simulator();
    const trace: [string, number][] = [];
    sim.schedule(30, () => trace.push(["c", sim.nowUs()]));
    sim.schedule(10, () => trace.push(["a", sim.nowUs()]));
    sim.schedule(20, () => trace.push(["b", sim.nowUs()]));
    sim.run();
    expect(trace).toEqual([
      ["a", 10],
      ["b", 20],
      ["c", 30],
    ]);
  });

  it("keeps same-instant order when an unrelated event is added", () => {
    const sim = new Simulator();
    const trace: [string, number][] = [];
    sim.schedule(100, () => trace.push(["first", sim.nowUs()]));
    sim.schedule(100, () => trace.push(["second", sim.nowUs()]));
    sim.schedule(50, () => trace.push(["unrelated", sim.nowUs()]));
    sim.run();
    expect(trace).toEqual([
      ["unrelated", 50],
      ["first", 100],
      ["second", 100],
    ]);
  });

  it("runs events scheduled for now after those already queued for now", () => {
    const sim = new Simulator();
    const trace: string[] = [];
    sim.schedule(5, () => {
      trace.push("a");
      sim.schedule(0, () => trace.push("c"));
    });
    sim.schedule(5, () => trace.push("b"));
    sim.run();
    expect(trace).toEqual(["a", "b", "c"]);
  });

  it("does not run a cancelled timer", () => {
    const sim = new Simulator();
    const trace: string[] = [];
    const timer = sim.schedule(10, () => trace.push("cancelled"));
    sim.schedule(5, () => sim.cancel(timer));
    sim.run();
    expect(trace).toEqual([]);
  });

  it("fires a periodic timer until cancelled", () => {
    const sim = new Simulator();
    const times: number[] = [];
    const timer = sim.every(1_000, () => times.push(sim.nowUs()));
    sim.schedule(3_500, () => sim.cancel(timer));
    sim.run();
    expect(times).toEqual([1_000, 2_000, 3_000]);
  });

  it("lets a periodic callback cancel its own timer", () => {
    const sim = new Simulator();
    const times: number[] = [];
    const timer = sim.every(
      10,
      () => {
        times.push(sim.nowUs());
        if (times.length === 2) sim.cancel(timer);
      },
      0,
    );
    sim.run();
    expect(times).toEqual([0, 10]);
  });

  it("stops at the horizon and advances the clock to it", () => {
    const sim = new Simulator();
    const trace: number[] = [];
    sim.schedule(10, () => trace.push(10));
    sim.schedule(20, () => trace.push(20));
    sim.run(15);
    expect(trace).toEqual([10]);
    expect(sim.nowUs()).toBe(15);
  });

  it("rejects a fractional delay", () => {
    const sim = new Simulator();
    expect(() => sim.schedule(1.5, () => {})).toThrow(
      "delay must be a non-negative integer of microseconds, got 1.5",
    );
  });

  it("rejects a negative delay", () => {
    const sim = new Simulator();
    expect(() => sim.schedule(-1, () => {})).toThrow(
      "delay must be a non-negative integer of microseconds, got -1",
    );
  });
});

describe("Simulator handles", () => {
  it("ignores cancelling a timer that already ran", () => {
    const sim = new Simulator();
    const trace: string[] = [];
    const timer = sim.schedule(1, () => trace.push("ran"));
    sim.run();
    sim.cancel(timer);
    sim.schedule(1, () => trace.push("later"));
    sim.run();
    expect(trace).toEqual(["ran", "later"]);
    expect(sim.pendingEvents).toBe(0);
  });
});
