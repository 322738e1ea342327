/**
 * The pending-event set of the discrete-event kernel: a binary min-heap ordered by time, then
 * by insertion sequence, so events at the same instant run in the order they were scheduled.
 * Keys sit in typed arrays beside the callbacks and an event allocates no object of its own,
 * which keeps the kernel's throughput in the millions of events per second.
 */

/** Binary min-heap of callbacks keyed by (timeUs, seq), with lazy cancellation by sequence. */
export class EventQueue {
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private callbacks: (() => void)[] = [];
  private length = 0;
  private nextSeq = 0;
  private readonly cancelled = new Set<number>();
  /** Time of the event most recently returned by `pop`, in microseconds. */
  poppedTimeUs = 0;

  /** Number of events pushed and neither popped nor cancelled. */
  get size(): number {
    return this.length - this.cancelled.size;
  }

  /** Inserts a callback at `timeUs` and returns its sequence number, which `cancel` accepts. */
  push(timeUs: number, callback: () => void): number {
    const seq = this.nextSeq++;
    if (this.length === this.times.length) this.grow();
    const { times, seqs, callbacks } = this;

    // Sift up: move parents that run after the new event down one level.
    let index = this.length++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentTime = times[parent];
      if (parentTime < timeUs || (parentTime === timeUs && seqs[parent] < seq)) break;
      times[index] = parentTime;
      seqs[index] = seqs[parent];
      callbacks[index] = callbacks[parent];
      index = parent;
    }
    times[index] = timeUs;
    seqs[index] = seq;
    callbacks[index] = callback;
    return seq;
  }

  /**
   * Cancels the pending event with sequence number `seq`; it is discarded when it reaches the
   * top. The caller must not cancel an event that already ran or was cancelled.
   */
  cancel(seq: number): void {
    this.cancelled.add(seq);
  }

  /** Returns the time of the earliest live event, or undefined when there is none. */
  peekTimeUs(): number | undefined {
    if (this.cancelled.size > 0) this.discardCancelledTop();
    return this.length > 0 ? this.times[0] : undefined;
  }

  /**
   * Removes the earliest live event and returns its callback, setting `poppedTimeUs`; returns
   * undefined when the queue is empty.
   */
  pop(): (() => void) | undefined {
    if (this.cancelled.size > 0) this.discardCancelledTop();
    if (this.length === 0) return undefined;
    this.poppedTimeUs = this.times[0];
    return this.removeTop();
  }

  private discardCancelledTop(): void {
    const cancelled = this.cancelled;
    while (cancelled.size > 0 && this.length > 0 && cancelled.delete(this.seqs[0]))
      this.removeTop();
  }

  private removeTop(): () => void {
    const { times, seqs, callbacks } = this;
    const top = callbacks[0];
    const last = --this.length;
    const lastTime = times[last];
    const lastSeq = seqs[last];
    const lastCallback = callbacks[last];
    callbacks[last] = undefined as unknown as () => void; // release for garbage collection

    // Sift down: move the earlier child up until the former last event fits.
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= last) break;
      const right = left + 1;
      let child = left;
      if (right < last) {
        const rightTime = times[right];
        const leftTime = times[left];
        if (rightTime < leftTime || (rightTime === leftTime && seqs[right] < seqs[left]))
          child = right;
      }
      const childTime = times[child];
      if (lastTime < childTime || (lastTime === childTime && lastSeq < seqs[child])) break;
      times[index] = childTime;
      seqs[index] = seqs[child];
      callbacks[index] = callbacks[child];
      index = child;
    }
    if (last > 0) {
      times[index] = lastTime;
      seqs[index] = lastSeq;
      callbacks[index] = lastCallback;
    }
    return top;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    const seqs = new Float64Array(capacity);
    times.set(this.times);
    seqs.set(this.seqs);
    this.times = times;
    this.seqs = seqs;
  }
}
