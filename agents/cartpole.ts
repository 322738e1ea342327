/**
 * The cart-pole balancing task with the dynamics and constants of the classic control
 * benchmark (Barto, Sutton and Anderson, 1983; Gymnasium's CartPole-v1): a pole hinged on a
 * cart that is pushed left or right with a fixed force, integrated with explicit Euler steps.
 * It is the known problem on which the agents prove they learn before they meet the simulator.
 */
import { deriveSeed, RandomStream } from "../sim/random.js";
import type { Env, StepResult } from "./common/env.js";
import { boxSpace, discreteSpace, type Spaces } from "./common/spaces.js";

/** Physical constants and limits of CartPole-v1, in SI units. */
export const cartPoleConstants = {
  gravity: 9.8,
  massCart: 1.0,
  massPole: 0.1,
  /** Half the pole's length, in metres, as the benchmark defines `length`. */
  halfPoleLength: 0.5,
  forceMagnitude: 10.0,
  /** Integration step, in seconds. */
  tau: 0.02,
  /** The episode terminates beyond this pole angle, in radians (12 degrees). */
  thetaThreshold: (12 * 2 * Math.PI) / 360,
  /** The episode terminates beyond this cart position, in metres. */
  xThreshold: 2.4,
  /** Each component of the initial state is drawn from U(-0.05, 0.05). */
  initialStateBound: 0.05,
  /** Steps after which an episode is truncated (the time limit of CartPole-v1). */
  maxEpisodeSteps: 500,
  /** Mean return over 100 evaluation episodes at which the task counts as solved. */
  solvedMeanReturn: 475,
} as const;

export const cartPoleSpaces: Spaces = {
  environment: "cartpole",
  version: 1,
  observation: boxSpace([
    "cart_position_m",
    "cart_velocity_m_s",
    "pole_angle_rad",
    "pole_angular_velocity_rad_s",
  ]),
  action: discreteSpace(["push_left", "push_right"]),
};

/** CartPole-v1: reward 1 per step, terminated when the pole or cart leaves its bounds. */
export class CartPole implements Env {
  readonly spaces = cartPoleSpaces;
  private state = new Float64Array(4);
  private steps = 0;
  private random = new RandomStream(0);

  reset(seed?: number): Float32Array {
    // Hashing the seed avoids the correlated first draws of xoroshiro from small raw seeds.
    if (seed !== undefined) this.random = new RandomStream(deriveSeed(seed, "cartpole/reset"));
    const bound = cartPoleConstants.initialStateBound;
    for (let i = 0; i < 4; i++) this.state[i] = -bound + 2 * bound * this.random.uniform();
    this.steps = 0;
    return Float32Array.from(this.state);
  }

  step(action: number): StepResult {
    const c = cartPoleConstants;
    const [x, xDot, theta, thetaDot] = this.state;
    const force = action === 1 ? c.forceMagnitude : -c.forceMagnitude;
    const totalMass = c.massCart + c.massPole;
    const poleMassLength = c.massPole * c.halfPoleLength;

    // Frictionless cart-pole equations of motion, as in the benchmark's reference code.
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    const temp = (force + poleMassLength * thetaDot * thetaDot * sin) / totalMass;
    const thetaAcc =
      (c.gravity * sin - cos * temp) /
      (c.halfPoleLength * (4 / 3 - (c.massPole * cos * cos) / totalMass));
    const xAcc = temp - (poleMassLength * thetaAcc * cos) / totalMass;

    // Explicit Euler: positions advance with the old velocities.
    this.state[0] = x + c.tau * xDot;
    this.state[1] = xDot + c.tau * xAcc;
    this.state[2] = theta + c.tau * thetaDot;
    this.state[3] = thetaDot + c.tau * thetaAcc;
    this.steps += 1;

    const terminated =
      Math.abs(this.state[0]) > c.xThreshold || Math.abs(this.state[2]) > c.thetaThreshold;
    return {
      observation: Float32Array.from(this.state),
      reward: 1,
      terminated,
      truncated: !terminated && this.steps >= c.maxEpisodeSteps,
      info: {},
    };
  }
}
