/**
 * Opens mqtt.js clients for the live modules with the options they share: automatic
 * reconnect, persistent sessions for subscribers, and a log line for every disconnect,
 * reconnect attempt and error, so a broker restart shows up in the run's log.
 */
import { connectAsync, type IClientOptions, type MqttClient } from "mqtt";
import type { LiveLogger } from "./live-log.js";

/** Options of `openMqttClient`. */
export interface MqttConnectionOptions {
  /** Broker URL, such as `mqtt://127.0.0.1:1883`. */
  url: string;
  /** Client id; a subscriber's id must be stable so the broker keeps its session. */
  clientId: string;
  /**
   * Whether the broker keeps the session (subscriptions and queued QoS 1 messages) while the
   * client is away. Subscribers set this so messages published during a reconnect are kept.
   */
  isPersistentSession: boolean;
  log: LiveLogger;
  /** Wait between reconnect attempts, in ms. Default 250. */
  reconnectPeriodMs?: number;
}

/** Counters of one client's connection history. */
export interface ConnectionStats {
  /** Successful connects after the first one. */
  reconnects: number;
  /** Times the connection was lost. */
  disconnects: number;
}

/** Connects and resolves once the first CONNACK arrives; rejects when that connect fails. */
export async function openMqttClient(
  options: MqttConnectionOptions,
): Promise<{ client: MqttClient; stats: ConnectionStats }> {
  const clientOptions: IClientOptions = {
    clientId: options.clientId,
    clean: !options.isPersistentSession,
    reconnectPeriod: options.reconnectPeriodMs ?? 250,
    connectTimeout: 5_000,
    protocolVersion: 4,
    // Publishes made while offline wait in the client and go out after the reconnect.
    queueQoSZero: true,
    resubscribe: true,
  };
  const client = await connectAsync(options.url, clientOptions);
  const stats: ConnectionStats = { reconnects: 0, disconnects: 0 };
  const { log, clientId, url } = options;

  client.on("offline", () => {
    stats.disconnects++;
    log("warn", "mqtt connection lost, reconnecting", { clientId, url });
  });
  client.on("connect", (connack) => {
    stats.reconnects++;
    log("info", "mqtt reconnected", { clientId, url, sessionPresent: connack.sessionPresent });
  });
  client.on("error", (error) => {
    log("warn", "mqtt client error", { clientId, url, error: error.message });
  });
  return { client, stats };
}

/** Publishes and resolves when the client has written it (QoS 0) or the broker acked it (QoS 1). */
export function publishAsync(
  client: MqttClient,
  topic: string,
  payload: Uint8Array,
  qos: 0 | 1,
): Promise<void> {
  return new Promise((resolve, reject) => {
    client.publish(
      topic,
      Buffer.from(payload.buffer, payload.byteOffset, payload.length),
      { qos },
      (error) => (error ? reject(error) : resolve()),
    );
  });
}
