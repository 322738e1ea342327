/** The scenarios by name, as the CLI's `--scenario` flag accepts them. */
import { UserInputError } from "../framework/runtime/user-input-error.js";
import { agriculture } from "./agriculture.js";
import { healthcare } from "./healthcare.js";
import { industry } from "./industry.js";
import type { ScenarioConfig } from "./scenario.js";
import { smartcity } from "./smartcity.js";

export const scenarios: ReadonlyMap<string, ScenarioConfig> = new Map(
  [agriculture, healthcare, industry, smartcity].map((scenario) => [scenario.name, scenario]),
);

/** Returns a deep copy of the named scenario's defaults. */
export function getScenario(name: string): ScenarioConfig {
  const scenario = scenarios.get(name);
  if (scenario === undefined) {
    throw new UserInputError(
      `unknown scenario "${name}": expected one of ${[...scenarios.keys()].join(", ")}`,
    );
  }
  return structuredClone(scenario);
}
