import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { LstmPredictor } from "./lstm-predictor.js";
import { MarkovPredictor } from "./markov-predictor.js";
import { RecencyFrequencyPredictor } from "./recency-frequency-predictor.js";
import { prefetchBackend } from "./tf-backend.js";

/** A cyclic route 0 -> 1 -> 2 -> 3 -> 0, repeated. */
const route = (length: number) => Array.from({ length }, (_, i) => i % 4);

describe("MarkovPredictor", () => {
  it("predicts the usual successor", () => {
    const predictor = new MarkovPredictor(4);
    for (const key of route(20)) predictor.observe(key);
    // The route ended on 3, which is always followed by 0.
    expect(predictor.predict(1)).toEqual([0]);
  });

  it("predicts nothing before the first access", () => {
    expect(new MarkovPredictor(4).predict(2)).toEqual([]);
  });
});

describe("RecencyFrequencyPredictor", () => {
  it("ranks the recent key first among equals", () => {
    const predictor = new RecencyFrequencyPredictor(3, 0.5);
    for (const key of [0, 1, 2]) predictor.observe(key);
    expect(predictor.predict(3)).toEqual([2, 1, 0]);
  });

  it("ranks a frequent key above a recent one", () => {
    const predictor = new RecencyFrequencyPredictor(3, 0.9);
    for (const key of [0, 0, 0, 0, 1]) predictor.observe(key);
    expect(predictor.predict(1)).toEqual([0]);
  });
});

describe("LstmPredictor", () => {
  it("learns a cyclic route and frees its tensors", async () => {
    await prefetchBackend();
    const before = tf.memory().numTensors;
    const settings = { trainEvery: 16, stepsPerTrain: 6, batchSize: 32, learningRate: 0.05 };
    const predictor = new LstmPredictor(4, settings);
    for (const key of route(160)) predictor.observe(key);
    expect(predictor.predict(1)).toEqual([0]);
    predictor.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);
});
