/**
 * Capacity sizing from the micro-batch cost model: how many executors a given arrival rate
 * needs. Allocators size with it, so every policy shares one notion of capacity.
 */
import { planBatch, type SparkModelConfig } from "./spark/cost-model.js";

/**
 * Returns the fewest executors (at least 1, at most `maxExecutors`) whose micro-batch of one
 * trigger interval of records at `recordsPerSec` finishes within `utilisationTarget` of the
 * trigger interval. When no count reaches that, returns the smallest count that runs every
 * stage in one wave, beyond which more executors no longer shorten the batch.
 */
export function executorsFor(
  spark: SparkModelConfig,
  executorCores: number,
  maxExecutors: number,
  recordsPerSec: number,
  utilisationTarget: number,
): number {
  const records = Math.ceil((recordsPerSec * spark.triggerIntervalUs) / 1e6);
  const budgetUs = utilisationTarget * spark.triggerIntervalUs;
  const oneWave = Math.ceil(
    Math.max(spark.inputPartitions, spark.shufflePartitions) / executorCores,
  );
  for (let executors = 1; executors <= maxExecutors; executors++) {
    if (planBatch(spark, Math.max(records, 1), executors * executorCores).durationUs <= budgetUs) {
      return executors;
    }
  }
  return Math.min(maxExecutors, Math.max(oneWave, 1));
}
