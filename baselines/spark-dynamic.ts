/**
 * Spark's dynamic allocation (ExecutorAllocationManager) as the Spark documentation describes
 * it: when tasks have been pending for `schedulerBacklogTimeout`, request executors, then again
 * every `sustainedSchedulerBacklogTimeout` while the backlog lasts, doubling the number added
 * each round (1, 2, 4, ...); never target more than the executors needed for all pending and
 * running tasks; remove an executor after `executorIdleTimeout` without tasks. Defaults are
 * Spark's (spark.apache.org/docs/latest/configuration.html#dynamic-allocation and
 * job-scheduling.html#resource-allocation-policy, read 2026-12): backlog timeouts 1 s, idle
 * timeout 60 s, allocation ratio 1.
 */
import type { Allocator, AllocatorContext } from "../sim/allocation.js";

/** Spark dynamic-allocation settings, in microseconds where a time. */
export interface SparkDynamicSettings {
  schedulerBacklogTimeoutUs: number;
  sustainedSchedulerBacklogTimeoutUs: number;
  executorIdleTimeoutUs: number;
  /** `spark.dynamicAllocation.executorAllocationRatio`, in (0, 1]. */
  executorAllocationRatio: number;
  /** How often the manager re-evaluates, in microseconds (Spark polls every 100 ms). */
  pollIntervalUs: number;
}

export const sparkDynamicDefaults: SparkDynamicSettings = {
  schedulerBacklogTimeoutUs: 1_000_000,
  sustainedSchedulerBacklogTimeoutUs: 1_000_000,
  executorIdleTimeoutUs: 60_000_000,
  executorAllocationRatio: 1,
  pollIntervalUs: 500_000,
};

/** Returns an allocator that follows Spark's dynamic-allocation rules. */
export function sparkDynamic(
  context: AllocatorContext,
  settings: SparkDynamicSettings = sparkDynamicDefaults,
): Allocator {
  let target = context.minExecutors;
  let toAdd = 1;
  let nextAddAtUs: number | null = null;

  return {
    name: "spark-dynamic",
    decisionIntervalUs: settings.pollIntervalUs,
    decide(observation) {
      const now = observation.timeUs;
      const current = observation.executorsRunning + observation.executorsPending;
      const maxNeeded = Math.ceil(
        ((observation.pendingTasks + observation.runningTasks) * settings.executorAllocationRatio) /
          context.executorCores,
      );

      // Scale up: first after the backlog timeout, then every sustained timeout, doubling.
      if (observation.pendingTasks > 0) {
        const backlogStartUs = now - observation.pendingTasksForUs;
        nextAddAtUs ??= backlogStartUs + settings.schedulerBacklogTimeoutUs;
        if (now >= nextAddAtUs) {
          const capped = Math.min(context.maxExecutors, Math.max(target, maxNeeded));
          const added = Math.min(toAdd, Math.max(0, capped - target));
          target += added;
          toAdd = added === toAdd ? toAdd * 2 : 1;
          nextAddAtUs = now + settings.sustainedSchedulerBacklogTimeoutUs;
        }
      } else {
        toAdd = 1;
        nextAddAtUs = null;
      }

      // Scale down: drop executors idle past the timeout, but not below what tasks need.
      const idleExpired = observation.executorIdleUs.filter(
        (idleUs) => idleUs >= settings.executorIdleTimeoutUs,
      ).length;
      if (idleExpired > 0 && observation.pendingTasks === 0) {
        target = Math.max(context.minExecutors, maxNeeded, current - idleExpired);
      }
      return { targetExecutors: target };
    },
  };
}
