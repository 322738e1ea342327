/** The prefetch predictors by name, as `--prefetch` takes them. */
import { LstmPredictor } from "./lstm-predictor.js";
import { MarkovPredictor } from "./markov-predictor.js";
import { NoPredictor, type AccessPredictor } from "./predictor.js";
import { RecencyFrequencyPredictor } from "./recency-frequency-predictor.js";
import { prefetchBackend } from "./tf-backend.js";

/** Names of the predictors. */
export const predictorNames = ["lstm", "markov", "recency", "none"] as const;

/** One predictor name. */
export type PredictorName = (typeof predictorNames)[number];

/** Returns whether `name` is a predictor name. */
export function isPredictorName(name: string): name is PredictorName {
  return (predictorNames as readonly string[]).includes(name);
}

/** Creates predictor `name` over `keys` keys; the LSTM first sets up TensorFlow.js. */
export async function createPredictor(
  name: PredictorName,
  keys: number,
  seed: number,
): Promise<AccessPredictor> {
  switch (name) {
    case "lstm":
      await prefetchBackend();
      return new LstmPredictor(keys, { seed });
    case "markov":
      return new MarkovPredictor(keys);
    case "recency":
      return new RecencyFrequencyPredictor(keys);
    case "none":
      return new NoPredictor();
  }
}
