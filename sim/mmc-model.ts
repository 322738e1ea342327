/**
 * An M/M/c FIFO queue built on the kernel: Poisson arrivals, exponential service, c servers.
 * It exists to check the kernel against queueing theory and to benchmark it.
 */
import { RandomStreams } from "./random.js";
import { Simulator } from "./simulator.js";

/** Settings of one M/M/c run; times in microseconds. */
export interface MmcSettings {
  servers: number;
  /** Mean interarrival time, in microseconds. */
  meanInterarrivalUs: number;
  /** Mean service time, in microseconds. */
  meanServiceUs: number;
  customers: number;
  /** Customers discarded at the start so the estimate excludes the empty-system transient. */
  warmupCustomers: number;
  seed: number;
}

/** Measured result of one M/M/c run. */
export interface MmcResult {
  meanWaitUs: number;
  customersMeasured: number;
  events: number;
}

/** Runs an M/M/c queue on the kernel and returns the mean waiting time in queue. */
export function runMmc(settings: MmcSettings): MmcResult {
  const sim = new Simulator();
  const streams = new RandomStreams(settings.seed);
  const arrivalStream = streams.stream("arrivals");
  const serviceStream = streams.stream("service");
  const waitingArrivalTimes: number[] = [];
  let queueHead = 0;
  let idleServers = settings.servers;
  let arrived = 0;
  let measuredWaitUs = 0;
  let measured = 0;

  const draw = (meanUs: number, stream: typeof arrivalStream): number =>
    Math.max(1, Math.round(stream.exponential(1) * meanUs));

  const startService = (arrivalUs: number, index: number): void => {
    if (index >= settings.warmupCustomers) {
      measuredWaitUs += sim.nowUs() - arrivalUs;
      measured++;
    }
    idleServers--;
    sim.post(draw(settings.meanServiceUs, serviceStream), departure);
  };

  const departure = (): void => {
    idleServers++;
    if (queueHead < waitingArrivalTimes.length) {
      const index = arrived - (waitingArrivalTimes.length - queueHead);
      startService(waitingArrivalTimes[queueHead++], index);
      if (queueHead > 4096 && queueHead * 2 > waitingArrivalTimes.length) {
        waitingArrivalTimes.splice(0, queueHead);
        queueHead = 0;
      }
    }
  };

  const arrival = (): void => {
    const index = arrived++;
    if (idleServers > 0) startService(sim.nowUs(), index);
    else waitingArrivalTimes.push(sim.nowUs());
    if (arrived < settings.customers) {
      sim.post(draw(settings.meanInterarrivalUs, arrivalStream), arrival);
    }
  };

  sim.post(0, arrival);
  sim.run();
  return {
    meanWaitUs: measuredWaitUs / measured,
    customersMeasured: measured,
    events: sim.eventsProcessed,
  };
}
