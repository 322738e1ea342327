/**
 * Device emitters on their own thread. Real devices are other machines, so the load generator
 * should not take event-loop time from the edge bridge and the cloud consumer it measures. The
 * thread opens its own MQTT connections, publishes the records as `emitRecords` does, forwards
 * its log lines, and returns its counters and connection histories.
 *
 * Protocol: the thread receives the records and settings as worker data, posts `ready` once its
 * clients are connected, publishes after `start`, stops early after `stop`, and posts `done`.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { EmitterStats, ReplayTimeline } from "./device-emitter.js";
import type { LiveLogger, LogLevel } from "./live-log.js";
import type { ConnectionStats } from "./mqtt-connection.js";
import type { SensorRecord } from "./record.js";

/** Settings the emitter thread receives as worker data. */
export interface EmitterThreadData {
  url: string;
  /** MQTT client ids, one connection each. */
  clientIds: string[];
  qos: 0 | 1;
  /** The replay's timeline; the start command sets its `wallStartUs`. */
  timeline: ReplayTimeline;
  corruptEvery: number;
  records: readonly SensorRecord[];
  /** Prefix of every topic (see `recordTopic`). */
  topicRoot: string;
  /** Area of every device in `records`. */
  areas: [deviceId: string, area: string][];
}

/** Messages from the emitter thread. */
export type EmitterThreadMessage =
  | { type: "ready" }
  | { type: "log"; level: LogLevel; message: string; fields?: Record<string, unknown> }
  | { type: "done"; stats: EmitterStats; connections: Record<string, ConnectionStats> }
  | { type: "failed"; error: string };

/** Messages to the emitter thread. */
export type EmitterThreadCommand = { type: "start"; wallStartUs: number } | { type: "stop" };

/** A started emitter thread whose clients are connected. */
export interface EmitterThread {
  /**
   * Starts publishing with the first record due at `wallStartUs` (µs since the Unix epoch) and
   * resolves with the counters once every publish has completed.
   */
  run(
    wallStartUs: number,
  ): Promise<{ stats: EmitterStats; connections: Record<string, ConnectionStats> }>;
  /** Asks the thread to stop before the next record. */
  stop(): void;
  /** Ends the thread. */
  terminate(): Promise<void>;
}

/**
 * Starts the emitter thread and resolves once its clients are connected.
 *
 * @throws Error when the thread fails to connect or exits early
 */
export async function startEmitterThread(
  data: Omit<EmitterThreadData, "areas">,
  areaOf: (deviceId: string) => string,
  log: LiveLogger,
): Promise<EmitterThread> {
  const areas = new Map<string, string>();
  for (const record of data.records) {
    if (!areas.has(record.deviceId)) areas.set(record.deviceId, areaOf(record.deviceId));
  }
  const workerData: EmitterThreadData = { ...data, areas: [...areas] };
  const worker = new Worker(bootstrapSource(), { eval: true, workerData });

  // The next lifecycle message. The thread exits after `done`, and that rejection is expected,
  // so each promise gets an empty catch. `expect` still receives every rejection it awaits.
  let settle!: { resolve: (value: EmitterThreadMessage) => void; reject: (error: Error) => void };
  const nextMessage = () => {
    const promise = new Promise<EmitterThreadMessage>(
      (resolve, reject) => (settle = { resolve, reject }),
    );
    promise.catch(() => {});
    return promise;
  };
  let next = nextMessage();
  worker.on("message", (message: EmitterThreadMessage) => {
    if (message.type === "log") log(message.level, message.message, message.fields);
    else settle.resolve(message);
  });
  worker.on("error", (error) => settle.reject(error));
  worker.on("exit", (code) =>
    settle.reject(new Error(`emitter thread exited with code ${code} before it finished`)),
  );
  const expect = async <T extends EmitterThreadMessage["type"]>(type: T) => {
    const message = await next;
    next = nextMessage();
    if (message.type === "failed") throw new Error(`emitter thread failed: ${message.error}`);
    if (message.type !== type) throw new Error(`emitter thread sent ${message.type}, not ${type}`);
    return message as Extract<EmitterThreadMessage, { type: T }>;
  };

  try {
    await expect("ready");
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  const command = (message: EmitterThreadCommand) => worker.postMessage(message);
  return {
    run: async (wallStartUs) => {
      command({ type: "start", wallStartUs });
      const done = await expect("done");
      return { stats: done.stats, connections: done.connections };
    },
    stop: () => command({ type: "stop" }),
    terminate: async () => {
      worker.removeAllListeners("exit");
      await worker.terminate();
    },
  };
}

/**
 * Returns the thread's bootstrap script: it registers tsx's loader, then imports the
 * TypeScript entry. With Node.js 20.20 and tsx 4.23, `--import tsx` in a worker's execArgv
 * still failed on the `.ts` entry (ERR_UNKNOWN_FILE_EXTENSION).
 */
function bootstrapSource(): string {
  // The ESM build of tsx's `tsx/esm/api` export: the CommonJS build failed to resolve its
  // loader when imported from the bootstrap (tsx 4.23).
  const tsxPackage = createRequire(import.meta.url).resolve("tsx/package.json");
  const tsxApi = pathToFileURL(join(dirname(tsxPackage), "dist/esm/api/index.mjs")).href;
  const entry = new URL("./emitter-worker.ts", import.meta.url).href;
  return `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
}
