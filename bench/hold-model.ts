/**
 * The hold model, the usual benchmark of a pending-event set: a fixed number of events wait in
 * the queue, and each event, when run, schedules one successor after an exponentially
 * distributed delay. Throughput is events run per second of wall time.
 */
import { RandomStreams } from "../sim/random.js";
import { Simulator } from "../sim/simulator.js";

/** Result of one hold-model run. */
export interface HoldResult {
  pendingEvents: number;
  events: number;
  wallMs: number;
  eventsPerSec: number;
}

/** Runs the hold model with `pendingEvents` in the queue until `events` events have run. */
export function runHoldModel(pendingEvents: number, events: number, seed = 1): HoldResult {
  const sim = new Simulator();
  const random = new RandomStreams(seed).stream("hold");
  let remaining = events;
  const hold = (): void => {
    if (--remaining > 0) sim.post(Math.round(random.exponential(1) * 1_000_000), hold);
  };
  for (let i = 0; i < pendingEvents; i++)
    sim.post(Math.round(random.exponential(1) * 1_000_000), hold);

  const startMs = performance.now();
  while (remaining > 0 && sim.step()) {
    // step() runs one event; the loop ends when the budget is spent
  }
  const wallMs = performance.now() - startMs;
  return {
    pendingEvents,
    events: sim.eventsProcessed,
    wallMs,
    eventsPerSec: (sim.eventsProcessed / wallMs) * 1000,
  };
}
