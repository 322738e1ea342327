/**
 * The calibration files of the generators, scenarios/calibration/<scenario>.json: written by
 * `npm run calibrate-generators` from the real traces and read by every generator run.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { KindCalibration } from "./calibration.js";
import { repoRoot } from "./trace-paths.js";

/** Contents of one calibration file. */
export interface CalibrationFile {
  scenario: string;
  /** Start of generated workloads: local midnight of the first trace's first day, Unix µs. */
  startUs: number;
  kinds: KindCalibration[];
}

/** Returns the path of a scenario's calibration file. */
export function calibrationPath(scenario: string): string {
  return join(repoRoot, "scenarios", "calibration", `${scenario}.json`);
}

/** Reads a scenario's calibration file. */
export function loadCalibration(scenario: string): CalibrationFile {
  const path = calibrationPath(scenario);
  try {
    return JSON.parse(readFileSync(path, "utf8")) as CalibrationFile;
  } catch (error) {
    throw new Error(
      `cannot read calibration "${path}" (run npm run calibrate-generators): ${(error as Error).message}`,
    );
  }
}
