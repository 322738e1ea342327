/**
 * The MQTT brokers tests run against: the embedded aedes broker always, and Mosquitto when
 * MOSQUITTO_URL names one (such as `mqtt://127.0.0.1:1883`). Without that variable the
 * Mosquitto suite is skipped with its reason in the suite name, and fails instead when
 * REQUIRE_SERVICES=1 (as in CI).
 */
import { afterAll, beforeAll, describe, it } from "vitest";
import { startEmbeddedBroker, type EmbeddedBroker } from "../framework/runtime/embedded-broker.js";

/** A broker a suite connects to; `drop` cuts every client connection, or is null. */
export interface TestBroker {
  url: string;
  drop: (() => void) | null;
}

/**
 * Declares `name` once per broker. `body` receives a getter because the embedded broker starts
 * in `beforeAll`.
 */
export function describeEachBroker(name: string, body: (broker: () => TestBroker) => void): void {
  describe(`${name} (aedes)`, () => {
    let embedded: EmbeddedBroker;
    beforeAll(async () => {
      embedded = await startEmbeddedBroker();
    });
    afterAll(() => embedded.close());
    body(() => ({ url: embedded.url, drop: () => embedded.dropConnections() }));
  });

  const mosquittoUrl = process.env.MOSQUITTO_URL;
  if (mosquittoUrl !== undefined && mosquittoUrl !== "") {
    describe(`${name} (mosquitto)`, () => body(() => ({ url: mosquittoUrl, drop: null })));
  } else if (process.env.REQUIRE_SERVICES === "1") {
    describe(`${name} (mosquitto)`, () => {
      it("finds the broker", () => {
        throw new Error("MOSQUITTO_URL not set and REQUIRE_SERVICES=1: start mosquitto and set it");
      });
    });
  } else {
    describe.skip(`${name} (mosquitto, skipped: MOSQUITTO_URL not set)`, () => {
      it("needs a running mosquitto", () => {});
    });
  }
}
