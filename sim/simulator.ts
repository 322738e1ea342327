/**
 * The discrete-event kernel: a virtual clock in integer microseconds driven by the event queue.
 * It implements the framework's Clock, so framework modules run on simulated time unchanged.
 */
import type { Clock, TimerHandle } from "../framework/runtime/clock.js";
import { EventQueue, type ScheduledEvent } from "./queue.js";

/** Handle for a one-shot or periodic timer. */
export class SimTimer implements TimerHandle {
  /** The event currently pending for this timer; replaced after each periodic firing. */
  event: ScheduledEvent | undefined;
  isCancelled = false;

  constructor(readonly id: number) {}
}

/** Virtual clock and event loop. Time starts at 0 and only moves forward. */
export class Simulator implements Clock {
  private readonly queue = new EventQueue();
  private currentUs = 0;
  private nextTimerId = 1;
  private processed = 0;

  /** Current simulated time in integer microseconds. */
  nowUs(): number {
    return this.currentUs;
  }

  /** Number of events run so far. */
  get eventsProcessed(): number {
    return this.processed;
  }

  /** Number of live events waiting in the queue. */
  get pendingEvents(): number {
    return this.queue.size;
  }

  /** Schedules `callback` after `delayUs`; equal times run in scheduling order. */
  schedule(delayUs: number, callback: () => void): SimTimer {
    assertDelay(delayUs);
    return this.scheduleAt(this.currentUs + delayUs, callback);
  }

  /** Schedules `callback` at the absolute time `timeUs`, which must not be in the past. */
  scheduleAt(timeUs: number, callback: () => void): SimTimer {
    if (!Number.isSafeInteger(timeUs) || timeUs < this.currentUs) {
      throw new Error(`event time must be an integer >= now (${this.currentUs} us), got ${timeUs}`);
    }
    const timer = new SimTimer(this.nextTimerId++);
    timer.event = this.queue.push(timeUs, callback);
    return timer;
  }

  /**
   * Runs `callback` every `periodUs`, first after `firstDelayUs` (default one period), until
   * the returned timer is cancelled.
   */
  every(periodUs: number, callback: () => void, firstDelayUs = periodUs): SimTimer {
    if (!Number.isSafeInteger(periodUs) || periodUs <= 0) {
      throw new Error(`timer period must be a positive integer of microseconds, got ${periodUs}`);
    }
    assertDelay(firstDelayUs);
    const timer = new SimTimer(this.nextTimerId++);
    const fire = (): void => {
      // Re-arm before the callback so the callback may cancel its own timer.
      timer.event = this.queue.push(this.currentUs + periodUs, fire);
      callback();
    };
    timer.event = this.queue.push(this.currentUs + firstDelayUs, fire);
    return timer;
  }

  /** Cancels a pending one-shot or periodic timer; cancelling twice does nothing. */
  cancel(handle: TimerHandle): void {
    const timer = handle as SimTimer;
    if (timer.isCancelled) return;
    timer.isCancelled = true;
    if (timer.event !== undefined) this.queue.cancel(timer.event);
  }

  /** Runs the earliest event; returns false when the queue is empty. */
  step(): boolean {
    const event = this.queue.pop();
    if (event === undefined) return false;
    this.currentUs = event.timeUs;
    this.processed++;
    event.callback();
    return true;
  }

  /**
   * Runs every event with time at most `untilUs`, then advances the clock to `untilUs`.
   * Without `untilUs`, runs until the queue is empty.
   */
  run(untilUs = Number.POSITIVE_INFINITY): void {
    const queue = this.queue;
    for (;;) {
      const nextUs = queue.peekTimeUs();
      if (nextUs === undefined || nextUs > untilUs) break;
      const event = queue.pop() as ScheduledEvent;
      this.currentUs = event.timeUs;
      this.processed++;
      event.callback();
    }
    if (Number.isFinite(untilUs) && untilUs > this.currentUs) this.currentUs = untilUs;
  }
}

function assertDelay(delayUs: number): void {
  if (!Number.isSafeInteger(delayUs) || delayUs < 0) {
    throw new Error(`delay must be a non-negative integer of microseconds, got ${delayUs}`);
  }
}
