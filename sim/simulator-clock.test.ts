import { describeClockContract } from "../framework/runtime/clock-contract.js";
import { Simulator } from "./simulator.js";

describeClockContract("Simulator", () => {
  const sim = new Simulator();
  return {
    clock: sim,
    advance: async (delayUs) => sim.run(sim.nowUs() + delayUs),
  };
});
