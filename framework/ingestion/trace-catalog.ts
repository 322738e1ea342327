/**
 * The sensor traces shipped with the scenarios: which data file each scenario replays and the
 * descriptor that reads it, plus the label files kept beside them. Paths are relative, so a
 * clone in any folder works as long as the traces folder sits beside the repository.
 */
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { UserInputError } from "../runtime/user-input-error.js";
import { loadDescriptorFile, type TraceDescriptor } from "./descriptor.js";

/** A scenario name. */
export type ScenarioName = "agriculture" | "healthcare" | "industry" | "smartcity";

/** One data file and its descriptor. */
export interface TraceCatalogEntry {
  scenario: ScenarioName;
  /** Data file, relative to the traces root. */
  file: string;
  /** Descriptor, relative to the repository root. */
  descriptor: string;
}

/** A file of labels or outcomes that is not a time series and has no descriptor. */
export interface LabelCatalogEntry {
  scenario: ScenarioName;
  /** Label file, relative to the traces root. */
  file: string;
  /** Description of the file's contents and of the traces it labels. */
  contents: string;
}

/** Repository root: two folders above this module. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

const descriptors = "scenarios/descriptors";

/** Every shipped data file with its descriptor. */
export const traceCatalog: readonly TraceCatalogEntry[] = [
  {
    scenario: "smartcity",
    file: "smart_city/AirQualityUCI.csv",
    descriptor: `${descriptors}/smartcity/air-quality-uci.json`,
  },
  {
    scenario: "smartcity",
    file: "smart_city/nab_realTraffic_speed_7578.csv",
    descriptor: `${descriptors}/smartcity/nab-traffic-speed-7578.json`,
  },
  {
    scenario: "smartcity",
    file: "smart_city/nab_realTraffic_occupancy_6005.csv",
    descriptor: `${descriptors}/smartcity/nab-traffic-occupancy-6005.json`,
  },
  ...["132539", "132540", "132551", "132588"].map((record) => ({
    scenario: "healthcare" as const,
    file: `healthcare/physionet2012_set-a/${record}.txt`,
    descriptor: `${descriptors}/healthcare/physionet-2012-set-a.json`,
  })),
  ...["HR", "TEMP", "EDA", "IBI"].map((signal) => ({
    scenario: "healthcare" as const,
    file: `healthcare/empatica_e4_flirt/${signal}.csv`,
    descriptor: `${descriptors}/healthcare/empatica-e4-${signal.toLowerCase()}.json`,
  })),
  {
    scenario: "agriculture",
    file: "agriculture/greenhouse_italy_gh1/Micro_1.csv",
    descriptor: `${descriptors}/agriculture/greenhouse-gh1-micro.json`,
  },
  {
    scenario: "agriculture",
    file: "agriculture/greenhouse_italy_gh1/TRH_1.csv",
    descriptor: `${descriptors}/agriculture/greenhouse-gh1-trh.json`,
  },
  {
    scenario: "agriculture",
    file: "agriculture/ncstate_sandhills_weather_QV2YC4V9_1.csv",
    descriptor: `${descriptors}/agriculture/ncstate-sandhills-weather.json`,
  },
  {
    scenario: "industry",
    file: "industry/nab_machine_temperature_system_failure.csv",
    descriptor: `${descriptors}/industry/nab-machine-temperature.json`,
  },
  {
    scenario: "industry",
    file: "industry/skab_valve1_0.csv",
    descriptor: `${descriptors}/industry/skab-valve1-0.json`,
  },
  {
    scenario: "industry",
    file: "industry/skab_anomaly-free.csv",
    descriptor: `${descriptors}/industry/skab-anomaly-free.json`,
  },
];

const nabWindows =
  "NAB anomaly windows (JSON: series key to a list of [start, end] timestamps with microseconds)";
const nabPoints = "NAB single anomaly timestamps (JSON: series key to a list of timestamps)";

/** Label and outcome files, which are not time series. */
export const labelCatalog: readonly LabelCatalogEntry[] = [
  {
    scenario: "healthcare",
    file: "healthcare/physionet2012_set-a/Outcomes-a.txt",
    contents:
      "one outcome row per ICU stay of set A (RecordID, SAPS-I, SOFA, Length_of_stay, Survival, In-hospital_death; -1 where there is no value)",
  },
  { scenario: "smartcity", file: "smart_city/nab_combined_windows.json", contents: nabWindows },
  { scenario: "smartcity", file: "smart_city/nab_combined_labels.json", contents: nabPoints },
  { scenario: "industry", file: "industry/nab_combined_windows.json", contents: nabWindows },
  { scenario: "industry", file: "industry/nab_combined_labels.json", contents: nabPoints },
];

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/**
 * Finds the traces folder: `$TRACES_DIR` when set, else `../shared/traces` beside the repository.
 * Returns undefined when the default folder does not exist.
 *
 * @throws UserInputError when `TRACES_DIR` is set but is not a folder
 */
export function resolveTracesRoot(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env.TRACES_DIR;
  if (configured !== undefined && configured !== "") {
    const path = resolve(configured);
    if (!isDirectory(path)) {
      throw new UserInputError(`invalid TRACES_DIR "${configured}": not a folder`);
    }
    return path;
  }
  const beside = resolve(repoRoot, "..", "shared", "traces");
  return isDirectory(beside) ? beside : undefined;
}

/** Reads and validates the descriptor of a catalog entry. */
export async function loadCatalogDescriptor(entry: TraceCatalogEntry): Promise<TraceDescriptor> {
  const path = join(repoRoot, entry.descriptor);
  return loadDescriptorFile(path);
}
