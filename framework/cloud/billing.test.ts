import { describe, expect, it } from "vitest";

import { billWorker, CostMeter } from "./billing.js";
import { getProvider } from "./providers.js";

const secondUs = 1_000_000;
const aws = getProvider("aws");
const gcp = getProvider("gcp");
const azure = getProvider("azure");

/** EMR Serverless list price of a 4 vCPU / 16 GB worker: 4 × 0.052624 + 16 × 0.0057785. */
const awsWorkerUsdPerHour = 0.302952;

function worker(provisionedAtUs: number, releasedAtUs: number) {
  return { provisionedAtUs, releasedAtUs, vcpu: 4, memoryGb: 16 };
}

describe("billWorker", () => {
  it("bills from the request, cold start included", () => {
    // The worker is ready at 60 s (the cold start) but billing starts at the request.
    const bill = billWorker(aws, worker(0, 130 * secondUs));

    expect(bill.billedUs).toBe(130 * secondUs);
  });

  it("prices an hour at the hourly rate", () => {
    const bill = billWorker(aws, worker(0, 3600 * secondUs));

    expect(bill.costUsd).toBeCloseTo(awsWorkerUsdPerHour, 12);
  });

  it("rounds up to the per-second granularity", () => {
    const bill = billWorker(aws, worker(0, 61 * secondUs + 1));

    expect(bill.billedUs).toBe(62 * secondUs);
  });

  it("rounds up to the per-minute granularity on Synapse", () => {
    const bill = billWorker(azure, { ...worker(0, 61 * secondUs), memoryGb: 32 });

    expect(bill.billedUs).toBe(120 * secondUs);
  });

  it("raises a short worker to the minimum", () => {
    const bill = billWorker(gcp, worker(5 * secondUs, 15 * secondUs));

    expect(bill.billedUs).toBe(60 * secondUs);
  });

  it("bills the minimum for a worker released at its request", () => {
    const bill = billWorker(aws, worker(7, 7));

    expect(bill.billedUs).toBe(60 * secondUs);
  });

  it("rejects a release before the request", () => {
    expect(() => billWorker(aws, worker(10, 5))).toThrow(
      "worker released at 5 µs before its request at 10 µs",
    );
  });

  it("rejects fractional microseconds", () => {
    expect(() => billWorker(aws, worker(0, 1.5))).toThrow("must be integer µs");
  });
});

describe("CostMeter", () => {
  it("applies the minimum to each worker", () => {
    // Two 10-second workers on a provider with a 60-second minimum bill 120 s in total.
    const meter = new CostMeter(aws, { includesDriver: false });
    meter.provision("a", 0);
    meter.provision("b", 0);
    const billA = meter.release("a", 10 * secondUs);
    const billB = meter.release("b", 10 * secondUs);

    expect(billA.billedUs + billB.billedUs).toBe(120 * secondUs);
    expect(meter.close(10 * secondUs)).toBeCloseTo((awsWorkerUsdPerHour * 120) / 3600, 12);
  });

  it("bills the driver for the application's lifetime", () => {
    const meter = new CostMeter(aws, { startUs: 0 });

    expect(meter.close(3600 * secondUs)).toBeCloseTo(awsWorkerUsdPerHour, 12);
  });

  it("accrues running time in the interval", () => {
    const meter = new CostMeter(aws, { includesDriver: false });
    meter.provision("a", 0);

    expect(meter.accrue(30 * secondUs)).toBeCloseTo((awsWorkerUsdPerHour * 30) / 3600, 12);
  });

  it("charges the minimum top-up in the release interval", () => {
    const meter = new CostMeter(aws, { includesDriver: false });
    meter.provision("a", 0);
    meter.release("a", 10 * secondUs);

    expect(meter.accrue(30 * secondUs)).toBeCloseTo((awsWorkerUsdPerHour * 60) / 3600, 12);
    expect(meter.accrue(60 * secondUs)).toBe(0);
  });

  it("accrues interval costs that sum to the total bill", () => {
    const meter = new CostMeter(azure, { startUs: 0 });
    // Provisions and releases in time order, between accruals every 7 s.
    const events = [
      { atUs: 0, workerId: "a", action: "provision", vcpu: 4, memoryGb: 32 },
      { atUs: 12 * secondUs, workerId: "b", action: "provision", vcpu: 6, memoryGb: 40 },
      { atUs: 40 * secondUs, workerId: "b", action: "release" },
      { atUs: 49 * secondUs, workerId: "c", action: "provision", vcpu: 20, memoryGb: 100 },
      { atUs: 95 * secondUs + 3, workerId: "a", action: "release" },
      { atUs: 290 * secondUs + 17, workerId: "c", action: "release" },
    ];

    let intervalSumUsd = 0;
    for (let atUs = 7 * secondUs; atUs <= 294 * secondUs; atUs += 7 * secondUs) {
      for (const event of events.filter((e) => e.atUs >= atUs - 7 * secondUs && e.atUs < atUs)) {
        if (event.action === "provision") {
          meter.provision(event.workerId, event.atUs, event.vcpu, event.memoryGb);
        } else {
          meter.release(event.workerId, event.atUs);
        }
      }
      intervalSumUsd += meter.accrue(atUs);
    }
    const totalUsd = meter.close(300 * secondUs);
    intervalSumUsd += meter.accrue(300 * secondUs);

    expect(intervalSumUsd).toBeCloseTo(totalUsd, 12);
  });

  it("totals the bills of its workers", () => {
    const meter = new CostMeter(gcp, { startUs: 0 });
    meter.provision("a", 0);
    meter.accrue(30 * secondUs);
    meter.provision("b", 45 * secondUs, 8, 80);
    meter.release("a", 100 * secondUs + 1);
    const totalUsd = meter.close(200 * secondUs);

    const expectedUsd =
      billWorker(gcp, { ...gcp.driver, provisionedAtUs: 0, releasedAtUs: 200 * secondUs }).costUsd +
      billWorker(gcp, worker(0, 100 * secondUs + 1)).costUsd +
      billWorker(gcp, {
        provisionedAtUs: 45 * secondUs,
        releasedAtUs: 200 * secondUs,
        vcpu: 8,
        memoryGb: 80,
      }).costUsd;
    expect(totalUsd).toBeCloseTo(expectedUsd, 12);
  });

  it("counts executor-hours without the driver", () => {
    const meter = new CostMeter(aws, { startUs: 0 });
    meter.provision("a", 0);
    meter.provision("b", 1800 * secondUs);
    meter.release("a", 1800 * secondUs);
    meter.close(3600 * secondUs);

    expect(meter.executorHours()).toBeCloseTo(1, 12);
  });

  it("counts open executors up to the latest time", () => {
    const meter = new CostMeter(aws, { includesDriver: false });
    meter.provision("a", 0);
    meter.accrue(1800 * secondUs);

    expect(meter.executorHours()).toBeCloseTo(0.5, 12);
  });

  it("rejects calls out of time order", () => {
    const meter = new CostMeter(aws);
    meter.accrue(10 * secondUs);

    expect(() => meter.provision("a", 5 * secondUs)).toThrow(
      "cost meter time 5000000 µs is before 10000000 µs: calls must come in time order",
    );
  });

  it("rejects a second provision of an open executor", () => {
    const meter = new CostMeter(aws);
    meter.provision("a", 0);

    expect(() => meter.provision("a", 1)).toThrow('executor "a" is already provisioned');
  });

  it("rejects the release of an unknown executor", () => {
    const meter = new CostMeter(aws);

    expect(() => meter.release("x", 1)).toThrow('executor "x" is not provisioned');
  });

  it("rejects a provision after close", () => {
    const meter = new CostMeter(aws);
    meter.close(1);

    expect(() => meter.provision("a", 2)).toThrow("cost meter is closed");
  });
});
