/**
 * Predictors of the cloud's next state reads. Each receives the access sequence one key at a
 * time (a key is a small integer naming one device's state) and ranks the likely next keys.
 */

/** A predictor of the next accessed keys. */
export interface AccessPredictor {
  /** Name as the `--prefetch` flag takes it. */
  readonly name: string;
  /** Adds one access to the sequence the predictor learns from. */
  observe(key: number): void;
  /** Returns up to `count` keys, most likely next first, excluding none. */
  predict(count: number): number[];
  /** Releases resources such as tensors; the predictor is unusable afterwards. */
  dispose(): void;
}

/** Returns the indices of the `count` largest scores, largest first; ties keep lower indices. */
export function topKeys(scores: ArrayLike<number>, count: number): number[] {
  const keys: number[] = [];
  for (let key = 0; key < scores.length; key++) {
    if (!(scores[key] > 0)) continue;
    keys.push(key);
  }
  keys.sort((a, b) => scores[b] - scores[a] || a - b);
  return keys.slice(0, count);
}

/** The no-prefetch baseline: predicts nothing. */
export class NoPredictor implements AccessPredictor {
  readonly name = "none";
  observe(): void {}
  predict(): number[] {
    return [];
  }
  dispose(): void {}
}
