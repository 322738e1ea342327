import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { repoRoot } from "../scenarios/trace-paths.js";
import { readCsvRows } from "./live-fixtures.js";
import {
  describeWithService,
  kafkaBroker,
  kafkaMissing,
  mosquittoBroker,
  mosquittoMissing,
  type ScriptBroker,
} from "./live-services.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithService(
  "live smartcity run through Mosquitto and Kafka",
  mosquittoMissing ?? kafkaMissing,
  () => {
    let mosquitto: ScriptBroker;
    let kafka: ScriptBroker;

    beforeAll(async () => {
      mosquitto = await mosquittoBroker();
      kafka = await kafkaBroker();
      await Promise.all([mosquitto.start(false), kafka.start(false)]);
    }, 600_000);

    afterAll(async () => {
      await Promise.all([mosquitto?.stop(), kafka?.stop()]);
      mosquitto?.remove();
      kafka?.remove();
    }, 60_000);

    it("loses nothing across restarts of both brokers", async () => {
      const out = mkdtempSync(join(tmpdir(), "live-smartcity-"));
      const child = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          join(repoRoot, "cli/live.ts"),
          ...["--scenario", "smartcity", "--duration", "20s", "--speed", "600", "--qos", "1"],
          ...["--mqtt", `mqtt://127.0.0.1:${mosquitto.port}`],
          ...["--kafka", `127.0.0.1:${kafka.port}`],
          ...["--corrupt-every", "200", "--port", "0", "--no-figures", "--out", out],
        ],
        { cwd: repoRoot, timeout: 240_000 },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const exit = new Promise<number | null>((resolve) => child.on("close", resolve));

      // Mosquitto goes down 5 s into the replay and Kafka 10 s in; each comes back with its data.
      while (!stderr.includes("replay started")) {
        expect(child.exitCode, stderr).toBeNull();
        await sleep(100);
      }
      await sleep(5_000);
      await mosquitto.stop();
      await mosquitto.start(true);
      await sleep(5_000);
      await kafka.stop();
      await kafka.start(true);

      expect(await exit, stderr.slice(-3_000)).toBe(0);
      expect(stdout).toContain("live vs simulated, same records");
      expect(stderr).toContain("mqtt reconnected");
      expect(stderr).toMatch(/kafka .*(Connection|reconnect|retry)/i);

      const [runDir] = readdirSync(out);
      const [cells] = readCsvRows(join(out, runDir, "live-summary.csv"));
      const sent = Number(cells.records_sent);
      expect(sent).toBeGreaterThan(1_000);
      expect(Number(cells.records_dead_lettered)).toBeGreaterThan(0);
      expect(Number(cells.records_processed) + Number(cells.records_dead_lettered)).toBe(sent);
      expect(cells.records_lost).toBe("0");
      expect(Number(cells.mqtt_reconnects)).toBeGreaterThanOrEqual(1);
      expect(cells.transport).toBe("mqtt+kafka");
    }, 300_000);
  },
);
