/**
 * A predictive allocator: forecast the arrival rate one cold start plus one decision ahead with
 * additive Holt-Winters smoothing (level, trend and a daily season; Holt 1957, Winters 1960,
 * as given in Hyndman & Athanasopoulos, "Forecasting: Principles and Practice", 3rd ed., 8.3),
 * and provision executors for the forecast before the load arrives.
 */
import type { Allocator, AllocatorContext } from "../sim/allocation.js";

/** Holt-Winters smoothing weights and the sizing headroom. */
export interface PredictiveSettings {
  /** Level smoothing weight alpha, in (0, 1). */
  alpha: number;
  /** Trend smoothing weight beta, in (0, 1). */
  beta: number;
  /** Seasonal smoothing weight gamma, in (0, 1). */
  gamma: number;
  /** Length of the season, in microseconds. Default one day. */
  seasonUs: number;
  /** Utilisation the forecast load is sized to. */
  utilisationTarget: number;
}

export const predictiveDefaults: PredictiveSettings = {
  alpha: 0.3,
  beta: 0.05,
  gamma: 0.2,
  seasonUs: 86_400_000_000,
  utilisationTarget: 0.6,
};

/** Returns a Holt-Winters forecasting allocator. */
export function predictive(
  context: AllocatorContext,
  settings: PredictiveSettings = predictiveDefaults,
): Allocator {
  const seasonLength = Math.max(1, Math.round(settings.seasonUs / context.decisionIntervalUs));
  const seasonal = new Float64Array(seasonLength);
  const horizonSteps = Math.ceil(
    (context.coldStartUs + context.decisionIntervalUs) / context.decisionIntervalUs,
  );
  let level: number | null = null;
  let trend = 0;
  let step = 0;

  return {
    name: "predictive",
    decide(observation) {
      const observed = observation.arrivalsPerSec;
      const index = step % seasonLength;

      // Holt-Winters additive update; the first season only learns its seasonal offsets.
      if (level === null) {
        level = observed;
      } else {
        const previousLevel = level;
        level =
          settings.alpha * (observed - seasonal[index]) + (1 - settings.alpha) * (level + trend);
        trend = settings.beta * (level - previousLevel) + (1 - settings.beta) * trend;
      }
      seasonal[index] =
        settings.gamma * (observed - level) + (1 - settings.gamma) * seasonal[index];
      step++;

      // Size for the highest forecast until newly requested executors would be ready.
      let forecastMax = observed;
      for (let h = 1; h <= horizonSteps; h++) {
        const forecast = level + h * trend + seasonal[(step + h - 1) % seasonLength];
        forecastMax = Math.max(forecastMax, forecast);
      }
      const backlogPerSec = observation.backlogRecords / (context.triggerIntervalUs / 1e6);
      const demandPerSec = Math.max(forecastMax, 0) + Math.max(0, backlogPerSec - observed);
      return {
        targetExecutors: Math.max(
          1,
          context.executorsFor(demandPerSec, settings.utilisationTarget),
        ),
      };
    },
  };
}
