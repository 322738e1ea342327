/**
 * The cost model of one Structured Streaming micro-batch on serverless Spark: a map stage over
 * the input partitions, a shuffle through one remote shuffle tier, a reduce stage over the
 * shuffle partitions, and the sink write. Durations are modelled, not measured, so a run is
 * deterministic; the processing code itself runs on the real records beside this model.
 */

/** Parameters of the micro-batch cost model. Times in microseconds of one core. */
export interface SparkModelConfig {
  /** Processing-time trigger interval, in microseconds (Spark's `Trigger.ProcessingTime`). */
  triggerIntervalUs: number;
  /** Driver time per micro-batch for planning, offset logging and commit, in microseconds. */
  batchOverheadUs: number;
  /** Launch and deserialisation time of one task, in microseconds. */
  taskOverheadUs: number;
  /** Partitions of the ingestion topic, which become the map stage's tasks. */
  inputPartitions: number;
  /** Partitions of the shuffle, which become the reduce stage's tasks. */
  shufflePartitions: number;
  /** Core time per record of each operator in the map stage, in microseconds, keyed by name. */
  mapOperatorCostUs: Record<string, number>;
  /** Core time per record of each operator in the reduce stage, in microseconds, keyed by name. */
  reduceOperatorCostUs: Record<string, number>;
  /** Remote shuffle tier between the stages. */
  shuffle: ShuffleTierConfig;
  /** Time to write a micro-batch's results to the sink, in microseconds. */
  sinkWriteUs: number;
}

/** A remote shuffle tier (for example an object store or a shuffle service). */
export interface ShuffleTierConfig {
  /** Serialised size of one record in the shuffle, in bytes. */
  bytesPerRecord: number;
  /** Write and read throughput per task, in megabytes per second. */
  throughputMbPerSec: number;
  /** Latency of one remote request (put or get), in microseconds. */
  requestLatencyUs: number;
  /** Block fetches a reduce task keeps in flight at once. */
  fetchConcurrency: number;
}

/** The modelled timeline of one micro-batch. */
export interface BatchPlan {
  records: number;
  mapTasks: number;
  reduceTasks: number;
  /** Duration of one map task (the largest partition), in microseconds. */
  mapTaskUs: number;
  /** Duration of one reduce task (the largest partition), in microseconds. */
  reduceTaskUs: number;
  mapWaves: number;
  reduceWaves: number;
  /** Batch start to results written, in microseconds. */
  durationUs: number;
  /** Core time spent in tasks, in microseconds. */
  busyCoreUs: number;
}

/** Sums per-record operator costs of a stage, in microseconds per record. */
export function stageCostPerRecordUs(costs: Record<string, number>): number {
  let total = 0;
  for (const cost of Object.values(costs)) total += cost;
  return total;
}

/**
 * Plans a micro-batch of `records` records on `cores` cores. Records spread evenly over
 * partitions; tasks run in waves of `cores` tasks, so a stage takes ceil(tasks / cores) times
 * its largest task, as Spark's task scheduler fills free cores stage by stage.
 * NOTE: partitions are assumed balanced; key skew would lengthen the largest task.
 */
export function planBatch(config: SparkModelConfig, records: number, cores: number): BatchPlan {
  if (cores <= 0) throw new Error(`a micro-batch needs at least one core, got ${cores}`);
  const { shuffle } = config;
  const bytesPerUs = shuffle.throughputMbPerSec; // 1 MB/s is 1 byte per microsecond

  // Map stage: parse and per-device operators, then write the shuffle output.
  const mapTasks = config.inputPartitions;
  const mapRecords = Math.ceil(records / mapTasks);
  const mapTaskUs = Math.round(
    config.taskOverheadUs +
      mapRecords * stageCostPerRecordUs(config.mapOperatorCostUs) +
      shuffle.requestLatencyUs +
      (mapRecords * shuffle.bytesPerRecord) / bytesPerUs,
  );

  // Reduce stage: each task fetches its block from every map output, then aggregates.
  const reduceTasks = config.shufflePartitions;
  const reduceRecords = Math.ceil(records / reduceTasks);
  const reduceTaskUs = Math.round(
    config.taskOverheadUs +
      shuffle.requestLatencyUs * Math.ceil(mapTasks / shuffle.fetchConcurrency) +
      (reduceRecords * shuffle.bytesPerRecord) / bytesPerUs +
      reduceRecords * stageCostPerRecordUs(config.reduceOperatorCostUs),
  );

  const mapWaves = Math.ceil(mapTasks / cores);
  const reduceWaves = Math.ceil(reduceTasks / cores);
  const durationUs =
    config.batchOverheadUs + mapWaves * mapTaskUs + reduceWaves * reduceTaskUs + config.sinkWriteUs;

  return {
    records,
    mapTasks,
    reduceTasks,
    mapTaskUs,
    reduceTaskUs,
    mapWaves,
    reduceWaves,
    durationUs,
    busyCoreUs: mapTasks * mapTaskUs + reduceTasks * reduceTaskUs,
  };
}
