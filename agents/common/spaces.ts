/**
 * Observation and action spaces in the manner of Gymnasium's `Box` and `Discrete`. A trained
 * policy stores the spaces of the environment it was trained on, and loading it into an
 * environment with different spaces fails.
 */

/** A vector of real-valued features; `labels` names each feature in order. */
export interface BoxSpace {
  kind: "box";
  /** Number of features. */
  size: number;
  /** Lower and upper bounds per feature; infinite where unbounded. */
  low: number[];
  high: number[];
  labels: string[];
}

/** A choice among `n` actions; `labels` describes each action in order. */
export interface DiscreteSpace {
  kind: "discrete";
  n: number;
  labels: string[];
}

/** The spaces of one environment, with a name and version for the layout as a whole. */
export interface Spaces {
  /** Name of the environment family, for example `"cartpole"` or `"allocation"`. */
  environment: string;
  /** Version of the feature and action layout; bumped whenever either changes meaning. */
  version: number;
  observation: BoxSpace;
  action: DiscreteSpace;
}

/** Builds a box space of the given labels with the same bounds for every feature. */
export function boxSpace(labels: readonly string[], low = -Infinity, high = Infinity): BoxSpace {
  return {
    kind: "box",
    size: labels.length,
    low: labels.map(() => low),
    high: labels.map(() => high),
    labels: [...labels],
  };
}

/** Builds a discrete space with one action per label. */
export function discreteSpace(labels: readonly string[]): DiscreteSpace {
  return { kind: "discrete", n: labels.length, labels: [...labels] };
}

/**
 * Returns the first difference between the spaces a policy was trained on and the spaces of
 * an environment, as a short phrase, or null when they are the same.
 */
export function spacesDifference(trained: Spaces, current: Spaces): string | null {
  if (trained.environment !== current.environment) {
    return `environment "${trained.environment}" differs from "${current.environment}"`;
  }
  if (trained.version !== current.version) {
    return `layout version ${trained.version} differs from ${current.version}`;
  }
  const trainedFeatures = trained.observation.labels.join(",");
  const currentFeatures = current.observation.labels.join(",");
  if (trainedFeatures !== currentFeatures) {
    return `observation features [${trainedFeatures}] differ from [${currentFeatures}]`;
  }
  const trainedActions = trained.action.labels.join(",");
  const currentActions = current.action.labels.join(",");
  if (trainedActions !== currentActions) {
    return `actions [${trainedActions}] differ from [${currentActions}]`;
  }
  return null;
}

/** JSON has no infinities, so bounds are written as null where unbounded. */
export function spacesToJson(spaces: Spaces): unknown {
  const bound = (value: number) => (Number.isFinite(value) ? value : null);
  return {
    ...spaces,
    observation: {
      ...spaces.observation,
      low: spaces.observation.low.map(bound),
      high: spaces.observation.high.map(bound),
    },
  };
}

/** Reads spaces written by `spacesToJson`. */
export function spacesFromJson(json: unknown): Spaces {
  const spaces = json as Spaces;
  const unbounded = (sign: number) => (value: number | null) => value ?? sign * Infinity;
  return {
    ...spaces,
    observation: {
      ...spaces.observation,
      low: spaces.observation.low.map(unbounded(-1)),
      high: spaces.observation.high.map(unbounded(1)),
    },
  };
}
