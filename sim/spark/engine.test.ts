import { describe, expect, it } from "vitest";
import { billWorker } from "../../framework/cloud/billing.js";
import type { SensorRecord } from "../../framework/ingestion/record.js";
import { runPolicy } from "../run.js";
import { planBatch } from "./cost-model.js";
import { testSettings, workloadArrivingAt } from "./test-settings.js";

const fixed = (executors: number) => () => ({
  name: "fixed",
  decide: () => ({ targetExecutors: executors }),
});

/** Returns a processor that logs each micro-batch's processing time and record values. */
function batchLog() {
  const batches: { atUs: number; values: (number | null)[] }[] = [];
  return {
    batches,
    processBatch(records: readonly SensorRecord[], processingTimeUs: number) {
      batches.push({ atUs: processingTimeUs, values: records.map((r) => r.value) });
    },
  };
}

describe("MicroBatchEngine", () => {
  it("starts micro-batches on processing-time triggers", () => {
    const settings = testSettings({ coldStartUs: 0 });
    const log = batchLog();
    runPolicy(
      workloadArrivingAt([100_000, 1_200_000, 1_300_000], 3_000_000),
      settings,
      fixed(1),
      log,
    );
    expect(log.batches).toEqual([
      { atUs: 1_000_000, values: [0] },
      { atUs: 2_000_000, values: [1, 2] },
    ]);
  });

  it("leaves a record arriving mid-batch for the next batch", () => {
    const settings = testSettings({ coldStartUs: 0 });
    const plan = planBatch(settings.engine.spark, 1, 4);
    // The first record arrives before the 1 s trigger; the second while that batch runs.
    const midBatchUs = 1_000_000 + Math.floor(plan.durationUs / 2);
    const log = batchLog();
    const result = runPolicy(
      workloadArrivingAt([500_000, midBatchUs], 3_000_000),
      settings,
      fixed(1),
      log,
    );

    expect(log.batches.map((b) => b.values)).toEqual([[0], [1]]);
    // Its latency runs from its own event time to the end of the next batch, and no less.
    const secondLatencyUs = 2_000_000 + plan.durationUs - (midBatchUs - 10_000);
    expect(result.latenciesUs[1]).toBe(secondLatencyUs);
  });

  it("starts the next batch at once when a batch overruns its trigger", () => {
    const settings = testSettings({ coldStartUs: 0 });
    settings.engine.spark.batchOverheadUs = 1_500_000; // every batch takes longer than 1 s
    const log = batchLog();
    const plan = planBatch(settings.engine.spark, 1, 4);
    runPolicy(workloadArrivingAt([100_000, 1_100_000], 4_000_000), settings, fixed(1), log);
    expect(log.batches[1].atUs).toBe(1_000_000 + plan.durationUs);
  });

  it("holds records until the first executor finishes its cold start", () => {
    const settings = testSettings({ initialExecutors: 0, coldStartUs: 5_000_000 });
    const log = batchLog();
    runPolicy(workloadArrivingAt([100_000], 20_000_000), settings, fixed(1), log);
    // The first decision at 10 s requests an executor, ready at 15 s.
    expect(log.batches[0].atUs).toBe(15_000_000);
  });

  it("charges the cold start of every executor", () => {
    const settings = testSettings({ initialExecutors: 2, coldStartUs: 30_000_000 });
    const result = runPolicy(workloadArrivingAt([], 10_000_000), settings, fixed(2), batchLog());
    // Two executors requested at 0 and released at 10 s, before either was ready, are billed
    // from the request, so each pays the provider's minimum, as does the driver.
    const usage = { provisionedAtUs: 0, releasedAtUs: 10_000_000, vcpu: 4, memoryGb: 16 };
    const { driver } = settings.provider;
    const expectedUsd =
      2 * billWorker(settings.provider, usage).costUsd +
      billWorker(settings.provider, { ...usage, ...driver }).costUsd;
    expect(result.costUsd).toBeCloseTo(expectedUsd, 12);
    expect(result.executorHours).toBeCloseTo((2 * 10) / 3600, 12);
    expect(result.coldStarts).toBe(2);
  });

  it("finishes every record of the workload", () => {
    const settings = testSettings({ coldStartUs: 0 });
    const arrivals = Array.from({ length: 500 }, (_, i) => 1_000 + i * 20_000);
    const result = runPolicy(
      workloadArrivingAt(arrivals, 10_000_000),
      settings,
      fixed(2),
      batchLog(),
    );
    expect(result.recordsProcessed).toBe(500);
    expect(result.recordsUnfinished).toBe(0);
  });

  it("bills the driver and executors as the cost meter totals them", () => {
    const settings = testSettings({ coldStartUs: 0 });
    const result = runPolicy(workloadArrivingAt([], 600_000_000), settings, fixed(1), batchLog());
    const intervalSumUsd = result.intervals.reduce((sum, row) => sum + row.costUsd, 0);
    expect(intervalSumUsd).toBeCloseTo(result.costUsd, 9);
  });
});

describe("planBatch", () => {
  it("runs tasks in waves of the available cores", () => {
    const settings = testSettings();
    const spark = { ...settings.engine.spark, inputPartitions: 8, shufflePartitions: 8 };
    expect(planBatch(spark, 80, 4).mapWaves).toBe(2);
    expect(planBatch(spark, 80, 8).mapWaves).toBe(1);
  });

  it("is shorter with more cores until one wave remains", () => {
    const spark = { ...testSettings().engine.spark, inputPartitions: 16, shufflePartitions: 16 };
    const durations = [4, 8, 16, 32].map((cores) => planBatch(spark, 1_000, cores).durationUs);
    expect(durations[0]).toBeGreaterThan(durations[1]);
    expect(durations[1]).toBeGreaterThan(durations[2]);
    expect(durations[2]).toBe(durations[3]);
  });
});

describe("MicroBatchEngine warm start", () => {
  it("runs the first batch at the first trigger with no cold start", () => {
    const settings = testSettings({ initialExecutors: 1, coldStartUs: 30_000_000 });
    settings.engine.executors.startsWarm = true;
    const log = batchLog();
    const result = runPolicy(workloadArrivingAt([100_000], 5_000_000), settings, fixed(1), log);
    expect(log.batches[0].atUs).toBe(1_000_000);
    expect(result.coldStarts).toBe(0);
  });
});
