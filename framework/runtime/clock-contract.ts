/**
 * The contract every Clock implementation must meet, as a vitest suite to run once per
 * implementation (the simulator's virtual clock, the live wall clock).
 */
import { describe, expect, it } from "vitest";
import type { Clock } from "./clock.js";

/** A clock under test and a way to let `delayUs` of its time pass. */
export interface ClockHarness {
  clock: Clock;
  /** Lets `delayUs` microseconds of the clock's time pass, running due timers. */
  advance(delayUs: number): Promise<void>;
}

/** Declares the Clock contract suite for one implementation. */
export function describeClockContract(name: string, createHarness: () => ClockHarness): void {
  describe(`Clock contract: ${name}`, () => {
    it("runs timers in order of their delays", async () => {
      const { clock, advance } = createHarness();
      const fired: string[] = [];
      clock.schedule(20_000, () => fired.push("late"));
      clock.schedule(5_000, () => fired.push("early"));
      await advance(50_000);
      expect(fired).toEqual(["early", "late"]);
    });

    it("does not run a cancelled timer", async () => {
      const { clock, advance } = createHarness();
      const fired: string[] = [];
      const handle = clock.schedule(5_000, () => fired.push("cancelled"));
      clock.cancel(handle);
      await advance(20_000);
      expect(fired).toEqual([]);
    });

    it("has advanced at least the delay when a timer fires", async () => {
      const { clock, advance } = createHarness();
      const startUs = clock.nowUs();
      let firedAtUs = -1;
      clock.schedule(10_000, () => {
        firedAtUs = clock.nowUs();
      });
      await advance(30_000);
      expect(firedAtUs - startUs).toBeGreaterThanOrEqual(10_000);
    });

    it("reports integer microseconds", () => {
      const { clock } = createHarness();
      expect(Number.isSafeInteger(clock.nowUs())).toBe(true);
    });
  });
}
