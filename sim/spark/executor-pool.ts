/**
 * Serverless executors: requested on demand, ready after the provider's cold start, billed from
 * the request, and released when the allocator lowers its target.
 */
import type { CostMeter } from "../../framework/cloud/billing.js";
import type { Simulator } from "../simulator.js";

interface Executor {
  readonly id: number;
  readonly requestedUs: number;
  isReady: boolean;
  /** End of the last micro-batch in which this executor ran a task, in microseconds. */
  lastTaskEndUs: number;
  isBusy: boolean;
  readyTimer: ReturnType<Simulator["schedule"]> | undefined;
}

/** Sizing of each executor and the pool's bounds. */
export interface ExecutorPoolConfig {
  cores: number;
  memoryGb: number;
  minExecutors: number;
  maxExecutors: number;
  /** Request to ready, in microseconds. */
  coldStartUs: number;
}

/** The set of executors of one run, with cold starts, billing and idle tracking. */
export class ExecutorPool {
  private readonly executors: Executor[] = [];
  private nextId = 0;
  private rotation = 0;
  private requests = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly config: ExecutorPoolConfig,
    private readonly meter: CostMeter,
    private readonly onReady: () => void,
  ) {}

  /** Executors ready to run tasks. */
  get readyCount(): number {
    let count = 0;
    for (const executor of this.executors) if (executor.isReady) count++;
    return count;
  }

  /** Executors requested and still in their cold start. */
  get pendingCount(): number {
    return this.executors.length - this.readyCount;
  }

  /** Executors requested since the start of the run (each one a cold start). */
  get coldStarts(): number {
    return this.requests;
  }

  /** Cores of the ready executors. */
  get readyCores(): number {
    return this.readyCount * this.config.cores;
  }

  /**
   * Starts the run with `count` executors already running and billed from now, as in a
   * streaming job observed after it has been up for a while. They are not cold starts.
   */
  startWarm(count: number): void {
    const now = this.sim.nowUs();
    for (let i = 0; i < count; i++) {
      const executor = this.newExecutor(now);
      executor.isReady = true;
      this.executors.push(executor);
    }
  }

  /** Clamps a target to the pool's bounds and requests or releases executors to meet it. */
  resize(targetExecutors: number): void {
    const target = Math.min(
      this.config.maxExecutors,
      Math.max(this.config.minExecutors, Math.round(targetExecutors)),
    );
    const current = this.executors.length;
    if (target > current) this.request(target - current);
    else if (target < current) this.release(current - target);
  }

  /** Returns, per ready executor, how long it has gone without a task, in microseconds. */
  idleTimesUs(): number[] {
    const now = this.sim.nowUs();
    const idle: number[] = [];
    for (const executor of this.executors) {
      if (executor.isReady) idle.push(executor.isBusy ? 0 : now - executor.lastTaskEndUs);
    }
    return idle;
  }

  /**
   * Marks the executors that receive tasks in a micro-batch of `tasks` tasks as busy. Spark's
   * scheduler offers tasks round-robin over shuffled executors, so `min(tasks, ready)` executors
   * get work; a rotating start replaces the shuffle and keeps the run deterministic.
   */
  startBatch(tasks: number): void {
    const ready = this.executors.filter((executor) => executor.isReady);
    const used = Math.min(tasks, ready.length);
    for (let i = 0; i < used; i++) ready[(this.rotation + i) % ready.length].isBusy = true;
    this.rotation = (this.rotation + used) % Math.max(1, ready.length);
  }

  /** Marks the busy executors idle as of now. */
  endBatch(): void {
    const now = this.sim.nowUs();
    for (const executor of this.executors) {
      if (executor.isBusy) {
        executor.isBusy = false;
        executor.lastTaskEndUs = now;
      }
    }
  }

  /** Releases every executor, for the end of a run. */
  releaseAll(): void {
    for (const executor of [...this.executors]) this.remove(executor);
  }

  private request(count: number): void {
    const now = this.sim.nowUs();
    for (let i = 0; i < count; i++) {
      const executor = this.newExecutor(now);
      executor.readyTimer = this.sim.schedule(this.config.coldStartUs, () => {
        executor.isReady = true;
        executor.lastTaskEndUs = this.sim.nowUs();
        executor.readyTimer = undefined;
        this.onReady();
      });
      this.executors.push(executor);
      this.requests++;
    }
  }

  private newExecutor(now: number): Executor {
    const executor: Executor = {
      id: this.nextId++,
      requestedUs: now,
      isReady: false,
      lastTaskEndUs: now,
      isBusy: false,
      readyTimer: undefined,
    };
    this.meter.provision(executorKey(executor), now, this.config.cores, this.config.memoryGb);
    return executor;
  }

  /** Cancels the newest pending requests first, then releases the longest-idle free executors. */
  private release(count: number): void {
    const candidates = [
      ...this.executors
        .filter((e) => !e.isReady)
        .sort((a, b) => b.requestedUs - a.requestedUs || b.id - a.id),
      ...this.executors
        .filter((e) => e.isReady && !e.isBusy)
        .sort((a, b) => a.lastTaskEndUs - b.lastTaskEndUs || a.id - b.id),
    ];
    for (const executor of candidates.slice(0, count)) this.remove(executor);
  }

  private remove(executor: Executor): void {
    if (executor.readyTimer !== undefined) this.sim.cancel(executor.readyTimer);
    this.meter.release(executorKey(executor), this.sim.nowUs());
    this.executors.splice(this.executors.indexOf(executor), 1);
  }
}

function executorKey(executor: Executor): string {
  return `executor-${executor.id}`;
}
