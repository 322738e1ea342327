/**
 * A fixed-capacity ring buffer of transitions with uniform sampling. Each transition records
 * whether its episode terminated. A truncated transition stores the final observation as its
 * next observation and is not marked, so its target bootstraps.
 */
import type { RandomStream } from "../../sim/random.js";

/** A sampled minibatch, row-major. */
export interface TransitionBatch {
  size: number;
  observations: Float32Array;
  actions: Int32Array;
  rewards: Float32Array;
  nextObservations: Float32Array;
  terminated: Uint8Array;
}

export class ReplayBuffer {
  private readonly observations: Float32Array;
  private readonly nextObservations: Float32Array;
  private readonly actions: Int32Array;
  private readonly rewards: Float32Array;
  private readonly terminated: Uint8Array;
  private next = 0;
  private count = 0;

  constructor(
    readonly capacity: number,
    readonly features: number,
  ) {
    this.observations = new Float32Array(capacity * features);
    this.nextObservations = new Float32Array(capacity * features);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.terminated = new Uint8Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Stores one transition, overwriting the oldest when full. */
  add(
    observation: Float32Array,
    action: number,
    reward: number,
    nextObservation: Float32Array,
    terminated: boolean,
  ): void {
    const i = this.next;
    this.observations.set(observation, i * this.features);
    this.nextObservations.set(nextObservation, i * this.features);
    this.actions[i] = action;
    this.rewards[i] = reward;
    this.terminated[i] = terminated ? 1 : 0;
    this.next = (i + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Draws `size` transitions uniformly with replacement. */
  sample(size: number, random: RandomStream): TransitionBatch {
    if (this.count === 0) throw new Error("cannot sample from an empty replay buffer");
    const f = this.features;
    const batch: TransitionBatch = {
      size,
      observations: new Float32Array(size * f),
      actions: new Int32Array(size),
      rewards: new Float32Array(size),
      nextObservations: new Float32Array(size * f),
      terminated: new Uint8Array(size),
    };
    for (let row = 0; row < size; row++) {
      const i = random.integer(0, this.count - 1);
      batch.observations.set(this.observations.subarray(i * f, (i + 1) * f), row * f);
      batch.nextObservations.set(this.nextObservations.subarray(i * f, (i + 1) * f), row * f);
      batch.actions[row] = this.actions[i];
      batch.rewards[row] = this.rewards[i];
      batch.terminated[row] = this.terminated[i];
    }
    return batch;
  }
}
