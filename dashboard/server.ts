/**
 * The live dashboard's HTTP server on 127.0.0.1: it serves the page, the Vega, Vega-Lite and
 * vega-embed browser builds from node_modules, and a server-sent event stream of the run's
 * report intervals and anomalies. A page that connects late first receives the events it
 * missed, up to the last 2,000.
 */
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CloudProcessor, LiveInterval } from "../framework/ingestion/cloud-processor.js";

const dashboardDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(dashboardDir, "..");

/** Files the server sends, by URL path, with their content types. */
const STATIC_FILES: Record<string, { path: string; type: string }> = {
  "/": { path: join(dashboardDir, "index.html"), type: "text/html; charset=utf-8" },
  "/app.js": { path: join(dashboardDir, "app.js"), type: "text/javascript; charset=utf-8" },
  "/vendor/vega.min.js": {
    path: join(repoRoot, "node_modules/vega/build/vega.min.js"),
    type: "text/javascript; charset=utf-8",
  },
  "/vendor/vega-lite.min.js": {
    path: join(repoRoot, "node_modules/vega-lite/build/vega-lite.min.js"),
    type: "text/javascript; charset=utf-8",
  },
  "/vendor/vega-embed.min.js": {
    path: join(repoRoot, "node_modules/vega-embed/build/vega-embed.min.js"),
    type: "text/javascript; charset=utf-8",
  },
};

/** Events kept for pages that connect late. */
const REPLAY_LIMIT = 2_000;
/** Anomaly events sent per report interval at most; the rest are counted in the interval row. */
const ANOMALIES_PER_INTERVAL = 50;

/** A running dashboard. */
export interface Dashboard {
  /** Page URL, such as `http://127.0.0.1:8080/`. */
  readonly url: string;
  /** Sends one event to every connected page. */
  publish(event: string, data: unknown): void;
  /** Ends every event stream and closes the server. */
  close(): Promise<void>;
}

/**
 * Starts the dashboard on 127.0.0.1:`port` (0 picks a free port).
 *
 * @throws Error when the port cannot be bound
 */
export async function startDashboard(port: number, title: string): Promise<Dashboard> {
  const streams = new Set<ServerResponse>();
  const history: string[] = [];
  const server = createServer((request, response) => {
    void handle(request, response, streams, history, title);
  });
  await listen(server, port);
  const address = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${address.port}/`,
    publish(event, data) {
      const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
      history.push(frame);
      if (history.length > REPLAY_LIMIT) history.shift();
      for (const stream of streams) stream.write(frame);
    },
    async close() {
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Forwards a processor's report intervals and a bounded number of anomalies to the page. */
export function attachProcessor(dashboard: Dashboard, processor: CloudProcessor): void {
  let anomaliesThisInterval = 0;
  processor.on("interval", (interval: LiveInterval) => {
    anomaliesThisInterval = 0;
    dashboard.publish("interval", interval);
  });
  processor.on("anomaly", (anomaly) => {
    if (anomaliesThisInterval >= ANOMALIES_PER_INTERVAL) return;
    anomaliesThisInterval++;
    dashboard.publish("anomaly", {
      deviceId: anomaly.deviceId,
      metric: anomaly.metric,
      eventTimeUs: anomaly.eventTimeUs,
      value: anomaly.value,
      score: anomaly.score,
    });
  });
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  streams: Set<ServerResponse>,
  history: string[],
  title: string,
): Promise<void> {
  const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
  if (path === "/events") {
    response.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    response.write(`event: title\ndata: ${JSON.stringify(title)}\n\n`);
    for (const frame of history) response.write(frame);
    streams.add(response);
    request.on("close", () => streams.delete(response));
    return;
  }
  const file = STATIC_FILES[path];
  if (file === undefined) {
    response.writeHead(404, { "content-type": "text/plain" }).end(`not found: ${path}\n`);
    return;
  }
  try {
    const body = await readFile(file.path);
    response.writeHead(200, { "content-type": file.type }).end(body);
  } catch (error) {
    response.writeHead(500, { "content-type": "text/plain" }).end(`${(error as Error).message}\n`);
  }
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
