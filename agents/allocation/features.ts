/**
 * The allocation task as the agents see it: the feature vector built from the engine's
 * `Observation`, the discrete actions and how each maps to a target executor count. The
 * training environment and the allocator that runs a trained policy in the simulator both use
 * these functions, so a policy acts on exactly the inputs it was trained on.
 */
import type { AllocatorContext, Observation } from "../../sim/allocation.js";
import { OBSERVATION_VERSION } from "../../sim/allocation.js";
import { boxSpace, discreteSpace, type Spaces } from "../common/spaces.js";

/** Version of the feature and action layout below; bump it whenever either changes. */
const layoutVersion = 1;

/**
 * Multipliers of the capacity model's recommendation, one per action after "hold". The
 * recommendation is the fewest executors whose modelled micro-batch for the current arrival
 * rate fits in one trigger interval, so 1 runs at full modelled utilisation and larger factors
 * leave headroom for bursts and backlog.
 */
export const recommendationMultipliers = [0, 0.5, 0.75, 1, 1.25, 1.5, 2, 3] as const;

export const allocationSpaces: Spaces = {
  environment: "allocation",
  // Both layouts matter: a change of the engine's observation changes the features.
  version: OBSERVATION_VERSION * 1000 + layoutVersion,
  observation: boxSpace([
    "hour_of_day_sin",
    "hour_of_day_cos",
    "log1p_arrivals_per_sec",
    "signed_log1p_arrival_trend_per_sec",
    "log1p_backlog_records",
    "recommended_executors_over_max",
    "executors_running_over_max",
    "executors_pending_over_max",
    "idle_executors_over_max",
    "utilisation",
    "log1p_pending_tasks",
    "pending_tasks_for_over_sla",
    "latency_p95_over_sla",
    "has_latency_sample",
  ]),
  action: discreteSpace(["hold", ...recommendationMultipliers.map((m) => `recommended_x${m}`)]),
};

/** Returns the executors the capacity model needs for the observed arrival rate. */
export function recommendedExecutors(observation: Observation, context: AllocatorContext): number {
  return context.executorsFor(observation.arrivalsPerSec, 1);
}

/** Builds the feature vector of `allocationSpaces` from an observation. */
export function allocationFeatures(
  observation: Observation,
  context: AllocatorContext,
): Float32Array {
  const max = Math.max(1, context.maxExecutors);
  const slaUs = context.slaLatencyUs;
  const angle = (2 * Math.PI * observation.hourOfDay) / 24;
  const trend = observation.arrivalTrendPerSec;
  // An executor idle for a whole trigger interval had nothing to do in the last micro-batch.
  const idle = observation.executorIdleUs.filter((us) => us >= context.triggerIntervalUs).length;
  const p95 = observation.latencyP95Us;
  return Float32Array.from([
    Math.sin(angle),
    Math.cos(angle),
    Math.log1p(observation.arrivalsPerSec),
    Math.sign(trend) * Math.log1p(Math.abs(trend)),
    Math.log1p(observation.backlogRecords),
    recommendedExecutors(observation, context) / max,
    observation.executorsRunning / max,
    observation.executorsPending / max,
    idle / max,
    observation.utilisation,
    Math.log1p(observation.pendingTasks),
    Math.min(10, observation.pendingTasksForUs / slaUs),
    p95 === null ? 0 : Math.min(10, p95 / slaUs),
    p95 === null ? 0 : 1,
  ]);
}

/** Returns the target executor count of `action` (clamped to the context's bounds). */
export function actionTarget(
  action: number,
  observation: Observation,
  context: AllocatorContext,
): number {
  if (!Number.isInteger(action) || action < 0 || action >= allocationSpaces.action.n) {
    throw new Error(`action ${action} outside [0, ${allocationSpaces.action.n})`);
  }
  const current = observation.executorsRunning + observation.executorsPending;
  const target =
    action === 0
      ? current
      : Math.ceil(
          recommendedExecutors(observation, context) * recommendationMultipliers[action - 1],
        );
  return Math.max(context.minExecutors, Math.min(context.maxExecutors, target));
}
