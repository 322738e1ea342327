/**
 * The discrete-event kernel: a virtual clock in integer microseconds driven by the event queue.
 * It implements the framework's Clock, so framework modules run on simulated time unchanged.
 */
import type { Clock, TimerHandle } from "../framework/runtime/clock.js";
import { EventQueue } from "./queue.js";

/** Handle of a one-shot timer: the sequence number of its event. */
class OneShotTimer implements TimerHandle {
  isDone = false;

  constructor(readonly id: number) {}
}

/** Handle of a periodic timer, whose pending event changes after every firing. */
export class PeriodicTimer implements TimerHandle {
  isCancelled = false;

  constructor(
    readonly id: number,
    public pendingSeq: number,
  ) {}
}

/** Virtual clock and event loop. Time starts at 0 and only moves forward. */
export class Simulator implements Clock {
  private readonly queue = new EventQueue();
  private currentUs = 0;
  private nextPeriodicId = 1;
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
  schedule(delayUs: number, callback: () => void): TimerHandle {
    assertDelay(delayUs);
    return this.handleFor(this.currentUs + delayUs, callback);
  }

  /** Schedules `callback` at the absolute time `timeUs`, which must not be in the past. */
  scheduleAt(timeUs: number, callback: () => void): TimerHandle {
    assertTime(timeUs, this.currentUs);
    return this.handleFor(timeUs, callback);
  }

  /**
   * Schedules `callback` after `delayUs` without a handle, so it cannot be cancelled; the
   * cheapest way to schedule, for hot paths.
   */
  post(delayUs: number, callback: () => void): void {
    assertDelay(delayUs);
    this.queue.push(this.currentUs + delayUs, callback);
  }

  /**
   * Runs `callback` every `periodUs`, first after `firstDelayUs` (default one period), until
   * the returned timer is cancelled.
   */
  every(periodUs: number, callback: () => void, firstDelayUs = periodUs): TimerHandle {
    if (!Number.isSafeInteger(periodUs) || periodUs <= 0) {
      throw new Error(`timer period must be a positive integer of microseconds, got ${periodUs}`);
    }
    assertDelay(firstDelayUs);
    const fire = (): void => {
      // Re-arm before the callback so the callback may cancel its own timer.
      timer.pendingSeq = this.queue.push(this.currentUs + periodUs, fire);
      callback();
    };
    const timer = new PeriodicTimer(
      this.nextPeriodicId++,
      this.queue.push(this.currentUs + firstDelayUs, fire),
    );
    return timer;
  }

  /** Cancels a pending one-shot or periodic timer; cancelling a finished timer does nothing. */
  cancel(handle: TimerHandle): void {
    if (handle instanceof PeriodicTimer) {
      if (handle.isCancelled) return;
      handle.isCancelled = true;
      this.queue.cancel(handle.pendingSeq);
      return;
    }
    const timer = handle as OneShotTimer;
    if (timer.isDone) return;
    timer.isDone = true;
    this.queue.cancel(timer.id);
  }

  /** Runs the earliest event; returns false when the queue is empty. */
  step(): boolean {
    const callback = this.queue.pop();
    if (callback === undefined) return false;
    this.currentUs = this.queue.poppedTimeUs;
    this.processed++;
    callback();
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
      const callback = queue.pop() as () => void;
      this.currentUs = nextUs;
      this.processed++;
      callback();
    }
    if (Number.isFinite(untilUs) && untilUs > this.currentUs) this.currentUs = untilUs;
  }

  private handleFor(timeUs: number, callback: () => void): OneShotTimer {
    const timer = new OneShotTimer(-1);
    const seq = this.queue.push(timeUs, () => {
      timer.isDone = true;
      callback();
    });
    (timer as { id: number }).id = seq;
    return timer;
  }
}

function assertDelay(delayUs: number): void {
  if (!Number.isSafeInteger(delayUs) || delayUs < 0) {
    throw new Error(`delay must be a non-negative integer of microseconds, got ${delayUs}`);
  }
}

function assertTime(timeUs: number, nowUs: number): void {
  if (!Number.isSafeInteger(timeUs) || timeUs < nowUs) {
    throw new Error(`event time must be an integer >= now (${nowUs} us), got ${timeUs}`);
  }
}
