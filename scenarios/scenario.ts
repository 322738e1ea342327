/**
 * The shape of a scenario: its traces, devices, edge topology, processing pipeline, engine
 * model, SLA and run defaults. Each scenario module exports one `ScenarioConfig`; a user
 * overrides any field with `--config FILE.json` (merged field by field) and with CLI flags.
 */
import type { ProviderId } from "../framework/cloud/providers.js";
import type { PipelineSpec } from "../framework/processing/pipeline-spec.js";
import type { LinkConfig, Partition } from "../sim/network.js";
import type { SparkModelConfig } from "../sim/spark/cost-model.js";

/** A real trace file the scenario replays or calibrates its generator from. */
export interface TraceSource {
  /** Name of this device kind in the generator, for example `"traffic-speed"`. */
  kind: string;
  /** Path of the data file, relative to the traces folder. */
  file: string;
  /** Path of the trace descriptor, relative to the repository root. */
  descriptor: string;
  /** Share of the scenario's virtual devices that the generator gives this kind, in [0, 1]. */
  deviceShare: number;
  /** NAB label windows for the file, when it has them. */
  labels?: { file: string; key: string };
}

/** Links of the edge topology: device to edge node, and edge node to cloud. */
export interface TopologyConfig {
  /** Edge nodes; each device belongs to one, and each edge node is one area. */
  edgeNodes: number;
  deviceLink: LinkConfig;
  uplink: LinkConfig;
  /** Time an edge node takes to filter and forward one record, in microseconds. */
  edgeProcessingUs: number;
  /** Size of one record on the wire, in bytes. */
  recordBytes: number;
}

/** Latency target of the scenario: `percentile` of end-to-end latency at most `latencyTargetMs`. */
export interface SlaConfig {
  latencyTargetMs: number;
  /** Percentile the target applies to, in (0, 100). */
  percentile: number;
}

/** Executor sizing and bounds; the provider's defaults apply where a field is null. */
export interface ExecutorConfig {
  /** Cores per executor; null takes the provider's worker size. */
  cores: number | null;
  /** Memory per executor, in GB; null takes the provider's worker size. */
  memoryGb: number | null;
  minExecutors: number;
  maxExecutors: number;
  initialExecutors: number;
  /**
   * Whether the initial executors are already running at time 0, as in a streaming job that
   * has been up for a while. False makes the run begin with their cold start.
   */
  startsWarm: boolean;
  /** Request to ready, in microseconds; null takes the provider's cold start. */
  coldStartUs: number | null;
}

/**
 * The edge-cloud state sync comparison that `--sync` adds to a run: the scenario's readings
 * are written into each edge node's state over `durationUs`, and the schemes carry them to
 * the cloud over the topology's uplink, with the outages below.
 */
export interface SyncScenarioConfig {
  /** Span compared, from the start of the run, in microseconds. */
  durationUs: number;
  /** Time after `durationUs` allowed for the last changes to arrive, in microseconds. */
  drainUs: number;
  /** CRDT: first resend wait while the remote lacks local changes, in microseconds. */
  retryUs: number;
  /** LWW: push interval in microseconds; 0 pushes the full state on every change. */
  lwwPushIntervalUs: number;
  /** Polling: interval between cloud polls of each edge, in microseconds. */
  pollIntervalUs: number;
  /** Configuration writes made on each edge per hour. */
  edgeConfigWritesPerHour: number;
  /** Configuration writes the cloud makes to each edge's devices per hour. */
  cloudConfigWritesPerHour: number;
  /** Configuration writes go to this many devices per edge, so edge and cloud collide. */
  configDevices: number;
  /** An edge raises an alert for a reading whose running z-score exceeds this. */
  alertZScore: number;
  /** Outages of the uplink and downlink of the first `partitionedEdges` edge nodes. */
  partitions: Partition[];
  partitionedEdges: number;
  /** Mean cloud reads of device state per second, over all edges. */
  readsPerSec: number;
  /** Devices a dashboard panel reads per area. */
  devicesPerPanel: number;
  /** Probability that a dashboard session moves on to the next area of its route. */
  routeProbability: number;
  /** Panels per dashboard session. */
  panelsPerSession: number;
  /** Width of one row of the unseen-changes series, in microseconds. */
  sampleIntervalUs: number;
  /** Prefetch comparison: a fetched copy serves reads for this long, in microseconds. */
  prefetchTtlUs: number;
  /** Prefetch comparison: keys fetched ahead after each read. */
  prefetchDepth: number;
}

/** Everything a run of a scenario needs, with every default filled in. */
export interface ScenarioConfig {
  name: string;
  description: string;
  /** Simulated span, in microseconds. */
  durationUs: number;
  /**
   * Replayed time (after any speed-up) skipped after the first record before the run's span
   * begins, in microseconds; absent means 0. Evaluating a trained policy past the span it was
   * trained on keeps the evaluation on held-out time.
   */
  startOffsetUs?: number;
  /** Virtual devices: the generator's device count, or the fan-out factor of a trace replay. */
  devices: number;
  seed: number;
  provider: ProviderId;
  /** IANA time zone of the workload's local time, for hour-of-day features. */
  timeZone: string;
  /** Time compression of a trace replay: 60 plays an hour of trace in a minute. */
  speed: number;
  /** Fan-out offsets spread the virtual copies of a device over this span, in microseconds. */
  fanOutSpreadUs: number;
  /** Random jitter added to each fanned-out record's time, at most this, in microseconds. */
  fanOutJitterUs: number;
  /** Records out of event-time order by up to this much are re-sorted, in microseconds. */
  reorderWindowUs: number;
  traces: TraceSource[];
  topology: TopologyConfig;
  pipeline: PipelineSpec;
  spark: SparkModelConfig;
  executors: ExecutorConfig;
  sla: SlaConfig;
  /** Time between allocator decisions, in microseconds. */
  decisionIntervalUs: number;
  /** Width of one time-series row, in microseconds. */
  reportIntervalUs: number;
  /** How long after the workload ends the backlog may drain, in microseconds. */
  drainLimitUs: number;
  sync: SyncScenarioConfig;
}
