/**
 * One-time choice of the TensorFlow.js backend for the prefetch model: WebAssembly, falling
 * back to the plain JavaScript CPU backend when WebAssembly does not initialise.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";

let ready: Promise<string> | null = null;

/** Activates the wasm backend, or cpu when it fails; returns the active backend's name. */
export function prefetchBackend(): Promise<string> {
  ready ??= (async () => {
    for (const name of ["wasm", "cpu"]) {
      try {
        if ((await tf.setBackend(name)) && tf.getBackend() === name) {
          await tf.ready();
          return name;
        }
      } catch {
        // Try the next backend; the caller sees which one is active.
      }
    }
    throw new Error("no TensorFlow.js backend initialised, not even cpu");
  })();
  return ready;
}
