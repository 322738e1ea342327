/**
 * Closed-form results for M/M/c queues, used to validate the kernel against theory.
 * Erlang C: the probability that an arrival waits, with offered load a = lambda / mu,
 *   C(c, a) = [a^c / c! * c / (c - a)] / [sum_{k<c} a^k / k! + a^c / c! * c / (c - a)],
 * and the mean wait in queue Wq = C(c, a) / (c * mu - lambda) (Kleinrock, Queueing Systems
 * vol. 1, 1975, section 3.5).
 */

/** Returns the Erlang C probability of waiting for `servers` servers at offered load `a`. */
export function erlangC(servers: number, offeredLoad: number): number {
  if (offeredLoad >= servers)
    throw new Error(`offered load ${offeredLoad} must be below ${servers}`);
  let term = 1; // a^k / k!, starting at k = 0
  let sum = 0;
  for (let k = 0; k < servers; k++) {
    sum += term;
    term *= offeredLoad / (k + 1);
  }
  const waitingTerm = (term * servers) / (servers - offeredLoad);
  return waitingTerm / (sum + waitingTerm);
}

/** Returns the mean waiting time in queue of an M/M/c queue, in the unit of 1 / rates. */
export function meanWaitMmc(servers: number, arrivalRate: number, serviceRate: number): number {
  const offeredLoad = arrivalRate / serviceRate;
  return erlangC(servers, offeredLoad) / (servers * serviceRate - arrivalRate);
}
