/**
 * The multi-objective reward of the allocation task: the negative weighted sum of four costs
 * of one decision interval. Each term is scaled to a unit a reader can reason about, so the
 * weights state directly how much of one objective is worth how much of another.
 */

/** Weights of the reward terms; the reward is minus their weighted sum. */
export interface RewardWeights {
  /** Per executor-interval billed: the interval's cost over one executor's cost for it. Default 0.1. */
  cost: number;
  /** Per share, in [0, 1], of records finished in the interval with latency over the SLA target. Default 1. */
  slaViolation: number;
  /**
   * Per SLA-worth of backlog: backlog records over the records that arrive in one SLA latency
   * target at the current rate, capped at 10. Default 0.1.
   */
  backlog: number;
  /** Per change of the target executor count, as a share of the maximum executors. Default 0.1. */
  churn: number;
}

/**
 * Default weights: one interval with every finished record late costs as much as ten
 * executors running through it.
 */
export const rewardDefaults: RewardWeights = {
  cost: 0.1,
  slaViolation: 1,
  backlog: 0.1,
  churn: 0.1,
};

/** The four terms of one interval, before weighting. */
export interface RewardTerms {
  executorIntervals: number;
  slaViolationShare: number;
  backlogSlaWorths: number;
  churnShare: number;
}

/** Returns minus the weighted sum of the terms. */
export function reward(terms: RewardTerms, weights: RewardWeights): number {
  return -(
    weights.cost * terms.executorIntervals +
    weights.slaViolation * terms.slaViolationShare +
    weights.backlog * terms.backlogSlaWorths +
    weights.churn * terms.churnShare
  );
}
