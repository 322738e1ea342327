import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "../framework/ingestion/latency-histogram.js";
import {
  decodeRecord,
  encodeRecord,
  parseRecordId,
  recordTopic,
  type LiveRecord,
} from "../framework/ingestion/live-record.js";
import { RecordDeduplicator } from "../framework/ingestion/record-dedup.js";
import { describeClockContract } from "../framework/runtime/clock-contract.js";
import { WallClock } from "../framework/runtime/wall-clock.js";

describeClockContract("WallClock", () => {
  const clock = new WallClock();
  return {
    clock,
    advance: (delayUs) =>
      new Promise((resolve) => setTimeout(resolve, Math.ceil(delayUs / 1_000) + 5)),
  };
});

describe("WallClock", () => {
  it("reports time since the Unix epoch", () => {
    const nowUs = new WallClock().nowUs();
    expect(Math.abs(nowUs / 1_000 - Date.now())).toBeLessThan(50);
  });

  it("rejects a negative delay", () => {
    expect(() => new WallClock().schedule(-1, () => {})).toThrow(/non-negative integer/);
  });

  it("cancels every pending timer", async () => {
    const clock = new WallClock();
    let fired = 0;
    clock.schedule(1_000, () => fired++);
    clock.schedule(2_000, () => fired++);
    clock.cancelAll();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fired).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });
});

const record: LiveRecord = {
  id: "sensor-1:7",
  deviceId: "sensor-1",
  metric: "speed",
  eventTimeUs: 1_704_067_200_000_000,
  value: 52.5,
  publishTimeUs: 1_800_000_000_000_000,
};

describe("live record", () => {
  it("round-trips through its encoding", () => {
    expect(decodeRecord(encodeRecord(record))).toEqual({ ok: true, record });
  });

  it("accepts a missing value", () => {
    const decoded = decodeRecord(encodeRecord({ ...record, value: null }));
    expect(decoded.ok).toBe(true);
  });

  it.each([
    ["a string value", { value: "52" }, "value must be a number or null"],
    [
      "a fractional event time",
      { eventTimeUs: 1.5 },
      "eventTimeUs must be an integer of microseconds",
    ],
    ["an empty device id", { deviceId: "" }, "deviceId must be a non-empty string"],
    ["a malformed id", { id: "no-sequence" }, "id must be a string of the form emitter:sequence"],
    [
      "no publish time",
      { publishTimeUs: undefined },
      "publishTimeUs must be an integer of microseconds",
    ],
  ])("rejects %s", (_case, change, reason) => {
    const decoded = decodeRecord(
      new TextEncoder().encode(JSON.stringify({ ...record, ...change })),
    );
    expect(decoded).toMatchObject({ ok: false, reason });
  });

  it("recovers the id of truncated JSON", () => {
    const text = JSON.stringify(record);
    const decoded = decodeRecord(new TextEncoder().encode(text.slice(0, text.length - 10)));
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.id).toBe("sensor-1:7");
    expect(decoded.reason).toMatch(/^invalid JSON/);
  });

  it("rejects a JSON array", () => {
    expect(decodeRecord(new TextEncoder().encode("[1,2]"))).toMatchObject({ ok: false, id: null });
  });

  it("parses ids whose emitter holds colons", () => {
    expect(parseRecordId("gw:3:sensor:12")).toEqual({ emitter: "gw:3:sensor", sequence: 12 });
  });

  it("replaces reserved characters in topic levels", () => {
    expect(recordTopic("edge-1", "a/b+c#d", "CO(GT)")).toBe("iot/edge-1/a_b_c_d/CO(GT)");
  });
});

describe("RecordDeduplicator", () => {
  it("flags a repeated id", () => {
    const dedup = new RecordDeduplicator();
    expect(dedup.markSeen("a:0")).toBe(true);
    expect(dedup.markSeen("a:0")).toBe(false);
    expect(dedup.duplicates).toBe(1);
  });

  it("tracks emitters separately", () => {
    const dedup = new RecordDeduplicator();
    expect(dedup.markSeen("a:0")).toBe(true);
    expect(dedup.markSeen("b:0")).toBe(true);
  });

  it("detects duplicates after out-of-order delivery", () => {
    const dedup = new RecordDeduplicator();
    for (const sequence of [2, 0, 3, 1]) expect(dedup.markSeen(`a:${sequence}`)).toBe(true);
    for (const sequence of [0, 1, 2, 3]) expect(dedup.markSeen(`a:${sequence}`)).toBe(false);
    expect(dedup.duplicates).toBe(4);
  });

  it("keeps no entries once a prefix is complete", () => {
    const dedup = new RecordDeduplicator();
    for (let sequence = 999; sequence >= 0; sequence--) dedup.markSeen(`a:${sequence}`);
    expect(dedup.pendingEntries).toBe(0);
  });

  it("keeps entries above a gap", () => {
    const dedup = new RecordDeduplicator();
    for (let sequence = 1; sequence <= 10; sequence++) dedup.markSeen(`a:${sequence}`);
    expect(dedup.pendingEntries).toBe(10);
  });

  it("rejects an id without a sequence", () => {
    expect(() => new RecordDeduplicator().markSeen("a")).toThrow(/emitter:sequence/);
  });
});

describe("LatencyHistogram", () => {
  it("returns null when empty", () => {
    expect(new LatencyHistogram().quantileUs(0.5)).toBeNull();
  });

  it("reports percentiles within 1.1%", () => {
    const histogram = new LatencyHistogram();
    for (let us = 1; us <= 100_000; us++) histogram.add(us);
    for (const q of [0.5, 0.95, 0.99]) {
      const expected = q * 100_000;
      expect(Math.abs(histogram.quantileUs(q)! - expected) / expected).toBeLessThan(0.011);
    }
  });

  it("caps the top percentile at the maximum", () => {
    const histogram = new LatencyHistogram();
    histogram.add(1_000);
    expect(histogram.quantileUs(1)).toBeLessThanOrEqual(1_000);
  });

  it("counts negative latencies as zero", () => {
    const histogram = new LatencyHistogram();
    histogram.add(-5);
    expect(histogram.quantileUs(0.5)).toBeLessThan(1);
    expect(histogram.meanUs).toBe(0);
  });

  it("merges counts", () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    a.add(10);
    b.add(20);
    a.merge(b);
    expect(a.count).toBe(2);
    expect(a.meanUs).toBe(15);
  });
});
