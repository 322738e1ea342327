/**
 * Worker bills under a provider's billing rules, and the cost meter that the simulator uses to
 * bill executors as they come and go and to report cost per control interval.
 */
import { workerHourlyRateUsd } from "./pricing.js";
import type { ProviderProfile } from "./providers.js";

export { workerHourlyRateUsd } from "./pricing.js";

const usPerHour = 3_600_000_000;

/** Lifetime and size of one worker, as `billWorker` takes it. */
export interface WorkerUsage {
  /** Time the worker was requested, in microseconds. Billing starts here. */
  readonly provisionedAtUs: number;
  /** Time the worker was released, in microseconds. */
  readonly releasedAtUs: number;
  readonly vcpu: number;
  readonly memoryGb: number;
}

/** Billed duration and cost of one worker. */
export interface WorkerBill {
  /** Duration charged after rounding and the per-worker minimum, in microseconds. */
  readonly billedUs: number;
  readonly costUsd: number;
}

/**
 * Bills one worker. Billing starts when the worker is requested, so its cold start is paid for.
 * The duration is rounded up to the provider's billing granularity and raised to its minimum
 * per worker. Throws Error when the times are not integers or the release precedes the request.
 */
export function billWorker(profile: ProviderProfile, usage: WorkerUsage): WorkerBill {
  const { provisionedAtUs, releasedAtUs } = usage;
  if (!Number.isSafeInteger(provisionedAtUs) || !Number.isSafeInteger(releasedAtUs)) {
    throw new Error(`worker times ${provisionedAtUs} and ${releasedAtUs} must be integer µs`);
  }
  if (releasedAtUs < provisionedAtUs) {
    throw new Error(
      `worker released at ${releasedAtUs} µs before its request at ${provisionedAtUs} µs`,
    );
  }

  const granularityUs = profile.billingGranularityUs;
  const roundedUs = Math.ceil((releasedAtUs - provisionedAtUs) / granularityUs) * granularityUs;
  const billedUs = Math.max(roundedUs, profile.minimumBilledUs);

  const rateUsdPerHour = workerHourlyRateUsd(profile, usage.vcpu, usage.memoryGb);
  return { billedUs, costUsd: (rateUsdPerHour * billedUs) / usPerHour };
}

/** Settings of a `CostMeter`. */
export interface CostMeterOptions {
  /** Time the application starts, in microseconds. Default 0. */
  readonly startUs?: number;
  /** Whether the meter bills the profile's driver from `startUs` until `close`. Default true. */
  readonly includesDriver?: boolean;
}

interface OpenWorker {
  readonly provisionedAtUs: number;
  readonly vcpu: number;
  readonly memoryGb: number;
  readonly rateUsdPerHour: number;
  /** Time up to which `accrue` has charged this worker. */
  accruedUntilUs: number;
  /** Cost that `accrue` has charged for this worker so far. */
  accruedUsd: number;
}

/**
 * Bills a driver and a changing set of executors under one provider's rules.
 *
 * `accrue(untilUs)` returns the cost of the interval since the previous call. That cost is the
 * running time of open workers times their hourly rate, plus the rest of the bill (rounding
 * and minimum-duration top-up) of workers released in the interval. `close(atUs)` releases
 * every worker and returns the total bill. One `accrue(atUs)` after `close` collects the
 * charges of that final release, and then the accruals sum to the total. Calls must come in
 * time order.
 */
export class CostMeter {
  readonly #profile: ProviderProfile;
  readonly #executors = new Map<string, OpenWorker>();
  #driver: OpenWorker | null = null;
  #latestUs: number;
  #pendingUsd = 0;
  #accruedUsd = 0;
  #billedUsd = 0;
  #releasedExecutorUs = 0;
  #isClosed = false;

  constructor(profile: ProviderProfile, options: CostMeterOptions = {}) {
    const startUs = options.startUs ?? 0;
    requireIntegerTime(startUs);
    this.#profile = profile;
    this.#latestUs = startUs;

    if (options.includesDriver ?? true) {
      const { vcpu, memoryGb } = profile.driver;
      this.#driver = this.#openWorker(startUs, vcpu, memoryGb);
    }
  }

  /** Sum of the final bills of all released workers, driver included, in USD. */
  get billedUsd(): number {
    return this.#billedUsd;
  }

  /** Sum of all values `accrue` has returned, in USD. */
  get accruedUsd(): number {
    return this.#accruedUsd;
  }

  /** Number of executors currently provisioned. */
  get openExecutorCount(): number {
    return this.#executors.size;
  }

  /**
   * Returns the executor-hours so far, from each executor's request to its release. Open
   * executors count up to the latest time the meter was given. The driver is not included.
   */
  executorHours(): number {
    let openUs = 0;
    for (const executor of this.#executors.values()) {
      openUs += this.#latestUs - executor.provisionedAtUs;
    }
    return (this.#releasedExecutorUs + openUs) / usPerHour;
  }

  /**
   * Starts billing executor `workerId` at `atUs`, the time it is requested. The size defaults
   * to the profile's worker size. Throws Error if the id is already open or `atUs` is earlier
   * than the time of a previous call.
   */
  provision(
    workerId: string,
    atUs: number,
    vcpu = this.#profile.worker.vcpu,
    memoryGb = this.#profile.worker.memoryGb,
  ): void {
    this.#advanceTo(atUs);
    if (this.#executors.has(workerId)) {
      throw new Error(`executor "${workerId}" is already provisioned`);
    }

    this.#executors.set(workerId, this.#openWorker(atUs, vcpu, memoryGb));
  }

  /**
   * Stops billing executor `workerId` at `atUs` and returns its final bill. The part of the
   * bill not yet accrued is charged to the interval that contains `atUs`.
   */
  release(workerId: string, atUs: number): WorkerBill {
    this.#advanceTo(atUs);
    const executor = this.#executors.get(workerId);
    if (executor === undefined) {
      throw new Error(`executor "${workerId}" is not provisioned`);
    }

    this.#executors.delete(workerId);
    this.#releasedExecutorUs += atUs - executor.provisionedAtUs;
    return this.#closeWorker(executor, atUs);
  }

  /** Returns the cost accrued in (previous accrual time or `startUs`, `untilUs`], in USD. */
  accrue(untilUs: number): number {
    this.#advanceTo(untilUs, { isAllowedAfterClose: true });

    let intervalUsd = this.#pendingUsd;
    this.#pendingUsd = 0;
    for (const worker of this.#openWorkers()) {
      intervalUsd += this.#chargeRunningTime(worker, untilUs);
    }

    this.#accruedUsd += intervalUsd;
    return intervalUsd;
  }

  /**
   * Releases the driver and every open executor at `atUs` and returns the total bill in USD.
   * Throws Error if the interval charges do not add up to the total within floating error.
   */
  close(atUs: number): number {
    this.#advanceTo(atUs);

    for (const workerId of [...this.#executors.keys()]) {
      this.release(workerId, atUs);
    }
    if (this.#driver !== null) {
      this.#closeWorker(this.#driver, atUs);
      this.#driver = null;
    }
    this.#isClosed = true;

    // Every charge is either accrued already or pending for the next accrue call.
    const chargedUsd = this.#accruedUsd + this.#pendingUsd;
    const toleranceUsd = 1e-9 * Math.max(1, this.#billedUsd);
    if (Math.abs(chargedUsd - this.#billedUsd) > toleranceUsd) {
      throw new Error(
        `interval charges ${chargedUsd} USD differ from the total bill ${this.#billedUsd} USD`,
      );
    }
    return this.#billedUsd;
  }

  #openWorker(atUs: number, vcpu: number, memoryGb: number): OpenWorker {
    return {
      provisionedAtUs: atUs,
      vcpu,
      memoryGb,
      rateUsdPerHour: workerHourlyRateUsd(this.#profile, vcpu, memoryGb),
      accruedUntilUs: atUs,
      accruedUsd: 0,
    };
  }

  #closeWorker(worker: OpenWorker, atUs: number): WorkerBill {
    const bill = billWorker(this.#profile, {
      provisionedAtUs: worker.provisionedAtUs,
      releasedAtUs: atUs,
      vcpu: worker.vcpu,
      memoryGb: worker.memoryGb,
    });

    // The running time since the last accrual, the rounding and the minimum top-up.
    this.#pendingUsd += bill.costUsd - worker.accruedUsd;
    this.#billedUsd += bill.costUsd;
    return bill;
  }

  #chargeRunningTime(worker: OpenWorker, untilUs: number): number {
    const runningUsd = (worker.rateUsdPerHour * (untilUs - worker.accruedUntilUs)) / usPerHour;
    worker.accruedUntilUs = untilUs;
    worker.accruedUsd += runningUsd;
    return runningUsd;
  }

  *#openWorkers(): Iterable<OpenWorker> {
    if (this.#driver !== null) {
      yield this.#driver;
    }
    yield* this.#executors.values();
  }

  #advanceTo(atUs: number, { isAllowedAfterClose = false } = {}): void {
    requireIntegerTime(atUs);
    if (this.#isClosed && !isAllowedAfterClose) {
      throw new Error("cost meter is closed");
    }
    if (atUs < this.#latestUs) {
      throw new Error(
        `cost meter time ${atUs} µs is before ${this.#latestUs} µs: calls must come in time order`,
      );
    }
    this.#latestUs = atUs;
  }
}

function requireIntegerTime(timeUs: number): void {
  if (!Number.isSafeInteger(timeUs)) {
    throw new Error(`time ${timeUs} µs must be an integer`);
  }
}
