/** A binary min-heap, used to release records in event-time order without sorting a stream. */

/** A priority queue ordered by `compare`; ties come out in no particular order. */
export class MinHeap<T> {
  private readonly items: T[] = [];

  /** @param compare Negative when `a` must come out before `b`, as for `Array.prototype.sort`. */
  constructor(private readonly compare: (a: T, b: T) => number) {}

  /** Number of items in the heap. */
  get size(): number {
    return this.items.length;
  }

  /** Returns the smallest item without removing it, or undefined when the heap is empty. */
  peek(): T | undefined {
    return this.items[0];
  }

  /** Adds an item in O(log n). */
  push(item: T): void {
    const items = this.items;
    items.push(item);
    let child = items.length - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (this.compare(items[child], items[parent]) >= 0) break;
      [items[child], items[parent]] = [items[parent], items[child]];
      child = parent;
    }
  }

  /** Removes and returns the smallest item, or undefined when the heap is empty. */
  pop(): T | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0];
    const last = items.pop() as T;
    if (items.length > 0) {
      items[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftDown(start: number): void {
    const items = this.items;
    let parent = start;
    for (;;) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let smallest = parent;
      if (left < items.length && this.compare(items[left], items[smallest]) < 0) smallest = left;
      if (right < items.length && this.compare(items[right], items[smallest]) < 0) {
        smallest = right;
      }
      if (smallest === parent) return;
      [items[parent], items[smallest]] = [items[smallest], items[parent]];
      parent = smallest;
    }
  }
}
