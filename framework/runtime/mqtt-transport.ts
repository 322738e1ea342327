/**
 * The live Transport over MQTT (mqtt.js): one client connection to an embedded aedes broker or
 * an external broker such as Mosquitto, with QoS 0 or 1, MQTT topic filters, and automatic
 * reconnection that restores every subscription.
 */
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import type { MessageHandler, Transport } from "./transport.js";
import { topicMatches } from "./topic-pattern.js";

/** MQTT delivery guarantee: 0 at most once, 1 at least once. */
export type MqttQos = 0 | 1;

/** Options of `MqttTransport.connect`. */
export interface MqttTransportOptions {
  /** Client identifier; default a random `mqttjs_<hex>` id that mqtt.js generates. */
  clientId?: string;
  /** QoS of `publish` and `subscribe` calls that do not set one; default 1. */
  qos?: MqttQos;
  /** Wait between reconnection attempts, in milliseconds; default 1,000. */
  reconnectPeriodMs?: number;
  /** Time allowed for the first connection, in milliseconds; default 10,000. */
  connectTimeoutMs?: number;
  /** Starts a clean session (MQTT 3.1.1 section 3.1.2.4); default true. */
  cleanSession?: boolean;
}

/**
 * A failure of the live MQTT path, with the broker URL, the topic where one applies, the
 * connection attempt, whether retrying can help, and the underlying `cause`.
 */
export class MqttTransportError extends Error {
  override readonly name = "MqttTransportError";

  constructor(
    message: string,
    readonly broker: string,
    readonly retriable: boolean,
    options: { topic?: string; attempt?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.topic = options.topic;
    this.attempt = options.attempt;
  }

  readonly topic: string | undefined;
  readonly attempt: number | undefined;
}

/** Events a transport emits, with their arguments. */
export interface MqttTransportEvents {
  /** A connection was established; `attempt` is 0 for the first, then counts reconnections. */
  connect: (attempt: number) => void;
  /** The connection was lost; mqtt.js keeps retrying every `reconnectPeriodMs`. */
  offline: () => void;
  /** An error the transport caught and did not throw. */
  error: (error: MqttTransportError) => void;
}

interface Subscription {
  pattern: string;
  qos: MqttQos;
  handlers: Set<MessageHandler>;
}

/** Publish/subscribe over one MQTT client connection. */
export class MqttTransport implements Transport {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly listeners: { [E in keyof MqttTransportEvents]: Set<MqttTransportEvents[E]> } = {
    connect: new Set(),
    offline: new Set(),
    error: new Set(),
  };
  private connectCount = 0;

  private constructor(
    private readonly client: MqttClient,
    /** URL of the broker. */
    readonly url: string,
    private readonly defaultQos: MqttQos,
  ) {
    client.on("message", (topic, payload) => this.dispatch(topic, payload));
    client.on("connect", () => this.onConnect());
    client.on("offline", () => this.emit("offline"));
    client.on("error", (error) => {
      this.emitError(new MqttTransportError("mqtt client error", url, true, { cause: error }));
    });
  }

  /**
   * Connects to the broker at `url` (`mqtt://host:port`). Resolves once the broker accepts the
   * connection; rejects with a retriable `MqttTransportError` when it refuses or times out.
   */
  static async connect(url: string, options: MqttTransportOptions = {}): Promise<MqttTransport> {
    const clientOptions: IClientOptions = {
      clientId: options.clientId,
      clean: options.cleanSession ?? true,
      reconnectPeriod: options.reconnectPeriodMs ?? 1_000,
      connectTimeout: options.connectTimeoutMs ?? 10_000,
      // Subscriptions are restored by this class, so one path covers every broker.
      resubscribe: false,
    };
    const client = mqtt.connect(url, clientOptions);
    try {
      await firstConnect(client, url, options.connectTimeoutMs ?? 10_000);
    } catch (error) {
      client.end(true);
      throw error;
    }
    const transport = new MqttTransport(client, url, options.qos ?? 1);
    transport.connectCount = 1;
    disableNagle(client);
    return transport;
  }

  /** Whether the client is connected now. */
  get isConnected(): boolean {
    return this.client.connected;
  }

  /** Publishes `payload` on `topic`; errors reach the `error` event. */
  publish(topic: string, payload: Uint8Array, options: { qos?: MqttQos } = {}): void {
    this.publishAsync(topic, payload, options).catch((error: MqttTransportError) =>
      this.emitError(error),
    );
  }

  /**
   * Publishes `payload` on `topic`. Resolves when the message is written (QoS 0) or
   * acknowledged by the broker (QoS 1).
   */
  publishAsync(topic: string, payload: Uint8Array, options: { qos?: MqttQos } = {}) {
    const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    return new Promise<void>((resolve, reject) => {
      this.client.publish(topic, bytes, { qos: options.qos ?? this.defaultQos }, (error) => {
        if (error === undefined || error === null) resolve();
        else
          reject(new MqttTransportError("publish failed", this.url, true, { topic, cause: error }));
      });
    });
  }

  /**
   * Subscribes `handler` to topics matching `pattern`; returns a function that removes it and,
   * for the last handler of the pattern, unsubscribes at the broker.
   */
  subscribe(pattern: string, handler: MessageHandler, options: { qos?: MqttQos } = {}) {
    let subscription = this.subscriptions.get(pattern);
    if (subscription === undefined) {
      subscription = { pattern, qos: options.qos ?? this.defaultQos, handlers: new Set() };
      this.subscriptions.set(pattern, subscription);
      this.subscribeAtBroker(subscription);
    }
    subscription.handlers.add(handler);

    const current = subscription;
    return () => {
      current.handlers.delete(handler);
      if (current.handlers.size > 0 || this.subscriptions.get(pattern) !== current) return;
      this.subscriptions.delete(pattern);
      this.client.unsubscribe(pattern);
    };
  }

  /**
   * Resolves once the broker has acknowledged every subscription made so far, so that a
   * message published after it reaches them.
   */
  async subscribed(): Promise<void> {
    const patterns = [...this.subscriptions.values()];
    await Promise.all(patterns.map((subscription) => this.subscribeAtBroker(subscription)));
  }

  /** Adds a listener for `event`; returns a function that removes it. */
  on<E extends keyof MqttTransportEvents>(event: E, listener: MqttTransportEvents[E]) {
    this.listeners[event].add(listener);
    return () => this.listeners[event].delete(listener);
  }

  /** Closes the connection after in-flight QoS 1 publishes finish. */
  close(): Promise<void> {
    return new Promise((resolve) => this.client.end(false, {}, () => resolve()));
  }

  private subscribeAtBroker(subscription: Subscription): Promise<void> {
    const { pattern, qos } = subscription;
    return new Promise((resolve) => {
      this.client.subscribe(pattern, { qos }, (error) => {
        if (error !== null && error !== undefined) {
          this.emitError(
            new MqttTransportError("subscribe failed", this.url, true, {
              topic: pattern,
              cause: error,
            }),
          );
        }
        resolve();
      });
    });
  }

  private dispatch(topic: string, payload: Buffer): void {
    const bytes = new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
    for (const subscription of this.subscriptions.values()) {
      if (!topicMatches(subscription.pattern, topic)) continue;
      for (const handler of subscription.handlers) handler(topic, bytes);
    }
  }

  private onConnect(): void {
    const attempt = this.connectCount++;
    disableNagle(this.client);
    // A clean session starts with no subscriptions at the broker (MQTT 3.1.1 section 3.1.2.4).
    if (attempt > 0) {
      for (const subscription of this.subscriptions.values()) this.subscribeAtBroker(subscription);
    }
    this.emit("connect", attempt);
  }

  private emit<E extends keyof MqttTransportEvents>(
    event: E,
    ...args: Parameters<MqttTransportEvents[E]>
  ): void {
    for (const listener of this.listeners[event]) {
      (listener as (...values: Parameters<MqttTransportEvents[E]>) => void)(...args);
    }
  }

  private emitError(error: MqttTransportError): void {
    if (this.listeners.error.size > 0) {
      this.emit("error", error);
      return;
    }
    const fields = { broker: error.broker, topic: error.topic, cause: String(error.cause) };
    process.stderr.write(`mqtt transport: ${error.message} ${JSON.stringify(fields)}\n`);
  }
}

/**
 * Sends small packets at once. With Nagle's algorithm a publish waits for the ACK of the
 * previous one, and the receiver's delayed ACK made that about 40 ms per message on loopback.
 */
function disableNagle(client: MqttClient): void {
  const socket = client.stream as unknown as { setNoDelay?: (noDelay: boolean) => void };
  socket.setNoDelay?.(true);
}

function firstConnect(client: MqttClient, url: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (cause: unknown) => {
      cleanup();
      reject(
        new MqttTransportError("connection to mqtt broker failed", url, true, {
          attempt: 0,
          cause,
        }),
      );
    };
    const timer = setTimeout(() => fail(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    const onConnect = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      client.off("connect", onConnect);
      client.off("error", fail);
    };
    client.once("connect", onConnect);
    client.once("error", fail);
  });
}
