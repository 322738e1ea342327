/**
 * Real brokers for live tests. Each test starts its own Mosquitto or Kafka broker on a free
 * loopback port through scripts/mosquitto.sh and scripts/kafka.sh, so it can stop and restart
 * it. A suite whose broker cannot be started here (no mosquitto binary; no java or mvn) is
 * skipped with the reason in its name, and fails instead when REQUIRE_SERVICES=1 (as in CI).
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, it } from "vitest";
import { repoRoot } from "../scenarios/trace-paths.js";

const run = promisify(execFile);

function hasCommand(name: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Why Mosquitto cannot run here, or null when it can. */
export const mosquittoMissing: string | null =
  hasCommand("mosquitto") || existsSync("/usr/sbin/mosquitto")
    ? null
    : "mosquitto not found; apt-get install -y mosquitto";

/** Why the Kafka broker cannot run here, or null when it can. */
export const kafkaMissing: string | null = !hasCommand("java")
  ? "java not found; install a JDK 17+"
  : !hasCommand("mvn")
    ? "mvn not found; install maven"
    : null;

/** Declares a suite that needs a broker, skipped or failing as described above. */
export function describeWithService(name: string, missing: string | null, body: () => void): void {
  if (missing === null) {
    describe(name, body);
  } else if (process.env.REQUIRE_SERVICES === "1") {
    describe(name, () => {
      it("finds the broker", () => {
        throw new Error(`${missing} (REQUIRE_SERVICES=1)`);
      });
    });
  } else {
    describe.skip(`${name} (skipped: ${missing})`, () => {
      it("needs the broker", () => {});
    });
  }
}

/** Returns a TCP port that was free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A broker started by one of the scripts, on its own port and folder. */
export interface ScriptBroker {
  port: number;
  start(keepData: boolean): Promise<void>;
  stop(): Promise<void>;
  /** Deletes the broker's data, config and log files; call after the last `stop`. */
  remove(): void;
}

/** Returns a Mosquitto broker on a free port with a fresh folder; call `start` to run it. */
export async function mosquittoBroker(): Promise<ScriptBroker> {
  const port = await freePort();
  const home = mkdtempSync(join(tmpdir(), "mosquitto-test-"));
  const env = { ...process.env, MOSQUITTO_PORT: String(port), MOSQUITTO_HOME: home };
  const script = join(repoRoot, "scripts/mosquitto.sh");
  return {
    port,
    start: async (keepData) => {
      await run(script, ["start"], { env: { ...env, MOSQUITTO_KEEP_DATA: keepData ? "1" : "0" } });
    },
    stop: async () => {
      await run(script, ["stop"], { env });
    },
    remove: () => rmSync(home, { recursive: true, force: true }),
  };
}

/**
 * Returns a Kafka broker on a free port (the controller on the next one). Jars are shared in
 * KAFKA_HOME or the script's default cache; data lives in a per-port folder there.
 */
export async function kafkaBroker(): Promise<ScriptBroker> {
  let port = await freePort();
  // The KRaft controller takes port + 1, so look for a pair.
  for (let i = 0; i < 20 && !(await isFree(port + 1)); i++) port = await freePort();
  const env = { ...process.env, KAFKA_PORT: String(port) };
  const home = process.env.KAFKA_HOME ?? join(homedir(), ".cache/harness-kafka");
  const script = join(repoRoot, "scripts/kafka.sh");
  return {
    port,
    start: async (keepData) => {
      await run(script, ["start"], {
        env: { ...env, KAFKA_KEEP_DATA: keepData ? "1" : "0" },
        timeout: 600_000,
      });
    },
    stop: async () => {
      await run(script, ["stop"], { env, timeout: 60_000 });
    },
    // The jars stay cached; only this port's files go.
    remove: () => {
      for (const name of [`data-${port}`, `server-${port}.properties`, `broker-${port}.log`]) {
        rmSync(join(home, name), { recursive: true, force: true });
      }
    },
  };
}

async function isFree(port: number): Promise<boolean> {
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", resolve);
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return true;
  } catch {
    return false;
  }
}
