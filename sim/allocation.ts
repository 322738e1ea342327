/**
 * The control interface between the serverless Spark engine model and an allocator. Baselines
 * and learned policies implement `Allocator`; the engine builds an `Observation` at every
 * decision and applies the returned `AllocationAction`. The observation layout is versioned so
 * a trained policy can refuse an observation it was not trained on.
 */

/** Version of the `Observation` layout; bump it whenever a field is added, removed or changed. */
export const OBSERVATION_VERSION = 1;

/** Input of an allocator at a decision point. Rates are per second of simulated time. */
export interface Observation {
  /** Simulated time, in microseconds since the start of the run. */
  timeUs: number;
  /** Local hour of day of the workload's event time, in [0, 24). */
  hourOfDay: number;
  /** Records that reached the ingestion queue during the last decision interval, per second. */
  arrivalsPerSec: number;
  /** Change of `arrivalsPerSec` since the previous decision, per second. */
  arrivalTrendPerSec: number;
  /** Records arrived but not yet finished (queued plus in the running micro-batch). */
  backlogRecords: number;
  /** Tasks waiting for a free core right now. */
  pendingTasks: number;
  /** Tasks running on executors right now. */
  runningTasks: number;
  /** How long tasks have been waiting continuously, in microseconds (0 when none wait). */
  pendingTasksForUs: number;
  /** Executors ready to run tasks. */
  executorsRunning: number;
  /** Executors requested and still in their cold start. */
  executorsPending: number;
  /** For each running executor, how long it has been without a task, in microseconds. */
  executorIdleUs: readonly number[];
  /** Busy core time over available core time in the last decision interval, in [0, 1]. */
  utilisation: number;
  /** Latency percentiles of records finished in the last decision interval; null when none. */
  latencyP50Us: number | null;
  latencyP95Us: number | null;
  latencyP99Us: number | null;
  /** Current hourly cost rate of all provisioned executors and the driver, in USD per hour. */
  costRateUsdPerHour: number;
}

/** Decision of an allocator. */
export interface AllocationAction {
  /** Desired number of executors, running plus pending; clamped to [min, max] by the engine. */
  targetExecutors: number;
}

/** Facts about the engine that allocators may use to size capacity. */
export interface AllocatorContext {
  /** Cores per executor. */
  executorCores: number;
  minExecutors: number;
  maxExecutors: number;
  /** Time from an executor request to the executor being ready, in microseconds. */
  coldStartUs: number;
  /** Time between allocator decisions, in microseconds. */
  decisionIntervalUs: number;
  /** Micro-batch trigger interval, in microseconds. */
  triggerIntervalUs: number;
  /** Latency target of the scenario's SLA, in microseconds. */
  slaLatencyUs: number;
  /**
   * Returns the fewest executors whose modelled micro-batch for a trigger interval's worth of
   * records at `recordsPerSec` finishes within `utilisationTarget` of the trigger interval
   * (capped at `maxExecutors`).
   */
  executorsFor(recordsPerSec: number, utilisationTarget: number): number;
  /** Arrival rate per decision interval over the whole run, per second (for sizing and oracles). */
  arrivalRatesPerSec: Float64Array;
}

/** A policy that sets the number of executors. */
export interface Allocator {
  /** Name used in tables and figures, for example `"static-peak"`. */
  readonly name: string;
  /** Time between this allocator's decisions, in microseconds; the run's default when absent. */
  readonly decisionIntervalUs?: number;
  /** Returns the action for an observation; called once per decision interval. */
  decide(observation: Observation): AllocationAction;
}

/** Builds an allocator for one run from the engine's context. */
export type AllocatorFactory = (context: AllocatorContext) => Allocator;
