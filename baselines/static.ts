/**
 * Static allocators: a fixed executor count sized once from the whole run's arrival rates, as
 * an operator would size a cluster from history. `static-peak` is the usual safe baseline that
 * cost reductions are quoted against; `static-mean` shows what under-provisioning costs in
 * latency.
 */
import { mean } from "simple-statistics";
import type { Allocator, AllocatorContext } from "../sim/allocation.js";

/** Utilisation a static cluster is sized for at the rate it is sized to carry. */
export const STATIC_UTILISATION_TARGET = 0.7;

/** Returns an allocator holding enough executors for the peak decision-interval arrival rate. */
export function staticPeak(context: AllocatorContext): Allocator {
  const peakPerSec = context.arrivalRatesPerSec.reduce((max, rate) => Math.max(max, rate), 0);
  return fixedAllocator("static-peak", context.executorsFor(peakPerSec, STATIC_UTILISATION_TARGET));
}

/** Returns an allocator holding enough executors for the mean arrival rate. */
export function staticMean(context: AllocatorContext): Allocator {
  const rates = Array.from(context.arrivalRatesPerSec);
  const meanPerSec = rates.length > 0 ? mean(rates) : 0;
  return fixedAllocator("static-mean", context.executorsFor(meanPerSec, STATIC_UTILISATION_TARGET));
}

function fixedAllocator(name: string, executors: number): Allocator {
  const target = Math.max(1, executors);
  return { name, decide: () => ({ targetExecutors: target }) };
}
