/**
 * The time source that framework modules are given instead of `Date.now()` and `setTimeout`.
 * In simulation it is the event queue; live, it is the wall clock.
 */

/** Opaque handle returned by `schedule`, accepted by `cancel`. */
export interface TimerHandle {
  readonly id: number;
}

/** Current time and one-shot timers, in integer microseconds. */
export interface Clock {
  /** Current time in integer microseconds since the clock's epoch. */
  nowUs(): number;
  /** Schedules `callback` to run `delayUs` microseconds from now (an integer, at least 0). */
  schedule(delayUs: number, callback: () => void): TimerHandle;
  /** Cancels a pending timer; cancelling a timer that already ran does nothing. */
  cancel(handle: TimerHandle): void;
}
