/**
 * The live Clock: real time from the process's high-resolution timer, and timers on the Node.js
 * event loop. Live modules receive it where simulated ones receive the event queue.
 */
import type { Clock, TimerHandle } from "./clock.js";

/** A Clock on the wall clock, in integer microseconds since the Unix epoch. */
export class WallClock implements Clock {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private nextId = 1;

  nowUs(): number {
    // timeOrigin + now() keeps sub-millisecond resolution, unlike Date.now().
    return Math.round((performance.timeOrigin + performance.now()) * 1_000);
  }

  schedule(delayUs: number, callback: () => void): TimerHandle {
    if (!Number.isInteger(delayUs) || delayUs < 0) {
      throw new Error(`timer delay must be a non-negative integer of microseconds, got ${delayUs}`);
    }
    const handle = { id: this.nextId++ };
    const dueUs = this.nowUs() + delayUs;
    // libuv measures timers against a millisecond clock cached per loop turn. A timer can thus
    // fire up to a millisecond early by this clock, and then it waits out the remainder.
    const arm = (waitUs: number): void => {
      const timer = setTimeout(
        () => {
          const remainingUs = dueUs - this.nowUs();
          if (remainingUs > 0) {
            arm(remainingUs);
            return;
          }
          this.timers.delete(handle.id);
          callback();
        },
        Math.ceil(waitUs / 1_000),
      );
      this.timers.set(handle.id, timer);
    };
    arm(delayUs);
    return handle;
  }

  cancel(handle: TimerHandle): void {
    const timer = this.timers.get(handle.id);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(handle.id);
  }

  /** Cancels every pending timer, so a stopped run leaves nothing on the event loop. */
  cancelAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** Timers scheduled and not yet run or cancelled. */
  get pendingTimers(): number {
    return this.timers.size;
  }
}
