/**
 * A threshold autoscaler in the manner of the Kubernetes Horizontal Pod Autoscaler: scale the
 * executor count by the ratio of observed to target utilisation, ignore changes inside a
 * tolerance band, and scale down only to the highest recommendation of a stabilisation window.
 * A backlog rule adds capacity when queued records would take longer than the SLA to drain.
 * Rules and defaults follow the HPA algorithm documentation (kubernetes.io, "Horizontal Pod
 * Autoscaling", algorithm details: desired = ceil(current * metric / target), tolerance 0.1,
 * scale-down stabilisation 300 s), read 2026-12.
 */
import type { Allocator, AllocatorContext, Observation } from "../sim/allocation.js";

/** Settings of the threshold autoscaler. */
export interface ThresholdSettings {
  /** Utilisation the autoscaler steers towards, in (0, 1]. Default 0.6. */
  targetUtilisation: number;
  /** Relative deviation from the target that causes no change. Default 0.1. */
  tolerance: number;
  /** Window over which scale-down takes the highest recommendation, in microseconds. */
  scaleDownStabilisationUs: number;
}

export const thresholdDefaults: ThresholdSettings = {
  targetUtilisation: 0.6,
  tolerance: 0.1,
  scaleDownStabilisationUs: 300_000_000,
};

/** Returns an HPA-like allocator for the given engine context. */
export function threshold(
  context: AllocatorContext,
  settings: ThresholdSettings = thresholdDefaults,
): Allocator {
  const recommendations: { timeUs: number; executors: number }[] = [];

  const recommend = (observation: Observation): number => {
    const current = Math.max(1, observation.executorsRunning + observation.executorsPending);
    const ratio = observation.utilisation / settings.targetUtilisation;
    let desired = Math.abs(ratio - 1) <= settings.tolerance ? current : Math.ceil(current * ratio);

    // Backlog rule: records that would wait longer than the SLA need capacity now.
    const drainPerSec = Math.max(observation.arrivalsPerSec, 1);
    if (observation.backlogRecords / drainPerSec > context.slaLatencyUs / 1e6) {
      desired = Math.max(
        desired,
        context.executorsFor(observation.arrivalsPerSec * 2, settings.targetUtilisation),
      );
    }
    return Math.max(1, desired);
  };

  return {
    name: "threshold",
    decide(observation) {
      const desired = recommend(observation);
      recommendations.push({ timeUs: observation.timeUs, executors: desired });
      while (recommendations[0].timeUs < observation.timeUs - settings.scaleDownStabilisationUs) {
        recommendations.shift();
      }
      const stabilised = Math.max(...recommendations.map((r) => r.executors));
      return { targetExecutors: stabilised };
    },
  };
}
