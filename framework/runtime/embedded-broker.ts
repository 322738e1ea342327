/**
 * An in-process MQTT broker (aedes) on a free loopback port, for tests, benchmarks and live
 * runs that are not given an external broker URL.
 */
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { Aedes } from "aedes";

/** A running embedded broker. */
export interface EmbeddedBroker {
  /** URL clients connect to, such as `mqtt://127.0.0.1:40123`. */
  readonly url: string;
  /** TCP port the broker listens on. */
  readonly port: number;
  /** Drops every client connection, as a network failure would; clients may reconnect. */
  dropConnections(): void;
  /** Closes client connections, the listener and the broker; resolves when all are closed. */
  close(): Promise<void>;
}

/** Options of `startEmbeddedBroker`. */
export interface EmbeddedBrokerOptions {
  /** TCP port; default 0, which lets the OS pick a free one. */
  port?: number;
}

/**
 * Starts aedes listening on 127.0.0.1 only, so nothing outside the machine can reach it.
 * Rejects when the port cannot be bound.
 */
export async function startEmbeddedBroker(
  options: EmbeddedBrokerOptions = {},
): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    // Small MQTT packets go out at once instead of waiting for the previous packet's ACK.
    socket.setNoDelay(true);
    socket.on("close", () => sockets.delete(socket));
    broker.handle(socket);
  });

  await listen(server, options.port ?? 0);
  const port = (server.address() as AddressInfo).port;

  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    dropConnections: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: async () => {
      // server.close waits for open connections, so end them first.
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}
