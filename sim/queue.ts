/**
 * The pending-event set of the discrete-event kernel: a binary min-heap ordered by time, then by
 * insertion sequence, so events at the same instant run in the order they were scheduled.
 */

/** A scheduled callback. `seq` breaks ties between equal times; `cancelled` marks lazy removal. */
export interface ScheduledEvent {
  readonly timeUs: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/** Binary min-heap of events keyed by (timeUs, seq). */
export class EventQueue {
  private readonly heap: ScheduledEvent[] = [];
  private nextSeq = 0;
  private liveCount = 0;

  /** Number of events pushed and neither popped nor cancelled. */
  get size(): number {
    return this.liveCount;
  }

  /** Inserts a callback at `timeUs` and returns its event, which `cancel` accepts. */
  push(timeUs: number, callback: () => void): ScheduledEvent {
    const event: ScheduledEvent = { timeUs, seq: this.nextSeq++, callback, cancelled: false };
    const heap = this.heap;
    let index = heap.length;
    heap.push(event);

    // Sift up: move the new event above every parent that would run after it.
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex];
      if (parent.timeUs < timeUs || (parent.timeUs === timeUs && parent.seq < event.seq)) break;
      heap[index] = parent;
      index = parentIndex;
    }
    heap[index] = event;
    this.liveCount++;
    return event;
  }

  /** Marks an event as cancelled; it is discarded when it reaches the top of the heap. */
  cancel(event: ScheduledEvent): void {
    if (event.cancelled) return;
    event.cancelled = true;
    this.liveCount--;
  }

  /** Returns the time of the earliest live event, or undefined when there is none. */
  peekTimeUs(): number | undefined {
    this.discardCancelledTop();
    return this.heap.length > 0 ? this.heap[0].timeUs : undefined;
  }

  /** Removes and returns the earliest live event, or undefined when the queue is empty. */
  pop(): ScheduledEvent | undefined {
    this.discardCancelledTop();
    const event = this.removeTop();
    if (event !== undefined) this.liveCount--;
    return event;
  }

  private discardCancelledTop(): void {
    while (this.heap.length > 0 && this.heap[0].cancelled) this.removeTop();
  }

  private removeTop(): ScheduledEvent | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop() as ScheduledEvent;
    if (heap.length === 0) return top;

    // Sift down: move `last` from the root past every child that runs before it.
    const length = heap.length;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length && runsBefore(heap[right], heap[left])) child = right;
      if (!runsBefore(heap[child], last)) break;
      heap[index] = heap[child];
      index = child;
    }
    heap[index] = last;
    return top;
  }
}

function runsBefore(a: ScheduledEvent, b: ScheduledEvent): boolean {
  return a.timeUs < b.timeUs || (a.timeUs === b.timeUs && a.seq < b.seq);
}
