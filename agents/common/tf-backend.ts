/**
 * Selection of the TensorFlow.js backend for training. The native backend of
 * `@tensorflow/tfjs-node` is used when its binary loads. Otherwise the WebAssembly backend,
 * which installs from npm everywhere, is used, and the plain JavaScript CPU backend is last.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";

/** Backends in order of preference: native, WebAssembly, plain JavaScript. */
export const backendNames = ["tensorflow", "wasm", "cpu"] as const;

export type BackendName = (typeof backendNames)[number];

/** Returns whether `name` is a known backend name. */
export function isBackendName(name: string): name is BackendName {
  return (backendNames as readonly string[]).includes(name);
}

/**
 * Activates `preferred`, or the first backend of `backendNames` that initialises, and returns
 * the active backend's name. Each failed attempt is passed to `log` with its reason. A
 * preferred backend that fails falls back in the same order rather than stopping.
 */
export async function initBackend(
  preferred?: BackendName,
  log: (message: string) => void = () => {},
): Promise<BackendName> {
  const order = preferred === undefined ? backendNames : [preferred, ...backendNames];
  for (const name of order) {
    if (await tryBackend(name, log)) return name;
  }
  throw new Error("no TensorFlow.js backend initialised, not even cpu");
}

async function tryBackend(name: BackendName, log: (message: string) => void): Promise<boolean> {
  if (name === "tensorflow" && !(await loadNativeBinding(log))) return false;
  try {
    if (!(await tf.setBackend(name))) {
      log(`TensorFlow.js backend "${name}" failed to initialise`);
      return false;
    }
    await tf.ready();
    return tf.getBackend() === name;
  } catch (error) {
    log(`TensorFlow.js backend "${name}" failed: ${(error as Error).message}`);
    return false;
  }
}

/**
 * Imports `@tensorflow/tfjs-node`, which registers the "tensorflow" backend. It is an optional
 * dependency whose install downloads a native library, so on many machines it is absent.
 */
async function loadNativeBinding(log: (message: string) => void): Promise<boolean> {
  if (tf.findBackend("tensorflow") !== null) return true;
  const moduleName = "@tensorflow/tfjs-node";
  try {
    // NOTE: untested. The package bundles its own tfjs-core, which may register a second copy
    // of the kernels beside the ones this module imports.
    await import(moduleName);
    return tf.findBackendFactory("tensorflow") !== null;
  } catch (error) {
    log(`@tensorflow/tfjs-node not loaded (${firstLine(error)}); using a portable backend`);
    return false;
  }
}

function firstLine(error: unknown): string {
  return String((error as Error).message ?? error).split("\n")[0];
}
