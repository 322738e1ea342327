/**
 * Entry point of the emitter thread (see emitter-thread.ts): connects one MQTT client per id,
 * replays the records with `emitRecords`, and posts counters and connection histories back.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { MqttClient } from "mqtt";
import { WallClock } from "../runtime/wall-clock.js";
import { emitRecords } from "./device-emitter.js";
import type {
  EmitterThreadCommand,
  EmitterThreadData,
  EmitterThreadMessage,
} from "./emitter-thread.js";
import type { LiveLogger } from "./live-log.js";
import { openMqttClient, type ConnectionStats } from "./mqtt-connection.js";

const port = parentPort!;
const data = workerData as EmitterThreadData;
const post = (message: EmitterThreadMessage) => port.postMessage(message);
const log: LiveLogger = (level, message, fields) => post({ type: "log", level, message, fields });

const clients: MqttClient[] = [];
const connections: Record<string, ConnectionStats> = {};
let isStopRequested = false;
let startRequested: () => void = () => {};
const started = new Promise<void>((resolve) => (startRequested = resolve));
port.on("message", (command: EmitterThreadCommand) => {
  if (command.type === "start") {
    data.timeline.wallStartUs = command.wallStartUs;
    startRequested();
  } else isStopRequested = true;
});

try {
  for (const clientId of data.clientIds) {
    const opened = await openMqttClient({
      url: data.url,
      clientId,
      isPersistentSession: false,
      log,
    });
    clients.push(opened.client);
    connections[clientId] = opened.stats;
  }
  post({ type: "ready" });
  await started;

  const areas = new Map(data.areas);
  const stats = await emitRecords(data.records, {
    clock: new WallClock(),
    clients,
    qos: data.qos,
    timeline: data.timeline,
    areaOf: (deviceId) => areas.get(deviceId) ?? "unknown",
    corruptEvery: data.corruptEvery,
    topicRoot: data.topicRoot,
    isStopped: () => isStopRequested,
  });
  for (const client of clients) await client.endAsync();
  post({ type: "done", stats, connections });
} catch (error) {
  for (const client of clients) client.end(true);
  post({ type: "failed", error: (error as Error).message });
}
// Leaves the thread once the port is the only thing left open.
port.unref();
