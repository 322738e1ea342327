/**
 * An oracle that reads the future arrival rates of the run and provisions for the highest rate
 * until a new executor would be ready. It bounds what any forecasting allocator could reach
 * with the same sizing rule; it is a reference for the paper, not a competitor.
 */
import type { Allocator, AllocatorContext } from "../sim/allocation.js";

/** Utilisation the oracle sizes the known future load to. */
export const ORACLE_UTILISATION_TARGET = 0.7;

/** Returns the future-aware oracle allocator. */
export function oracle(context: AllocatorContext): Allocator {
  const rates = context.arrivalRatesPerSec;
  const horizonSteps = Math.ceil(
    (context.coldStartUs + context.decisionIntervalUs) / context.decisionIntervalUs,
  );
  return {
    name: "oracle",
    decide(observation) {
      const step = Math.floor(observation.timeUs / context.decisionIntervalUs);
      let peakPerSec = 0;
      for (let i = step; i <= step + horizonSteps && i < rates.length; i++) {
        peakPerSec = Math.max(peakPerSec, rates[i]);
      }
      return {
        targetExecutors: Math.max(1, context.executorsFor(peakPerSec, ORACLE_UTILISATION_TARGET)),
      };
    },
  };
}
