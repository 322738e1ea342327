/**
 * Where a run's records come from: the scenario's calibrated generator (the default, which
 * needs no files) or a real trace file replayed through its descriptor.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseDescriptor, type TraceDescriptor } from "../framework/ingestion/descriptor.js";
import { readTrace } from "../framework/ingestion/reader.js";
import type { SensorRecord } from "../framework/ingestion/record.js";
import { ReplayStats } from "../framework/ingestion/replay-stats.js";
import { fanOut, reorderByEventTime, speedUp } from "../framework/ingestion/replay.js";
import {
  labelWindowsFromRecords,
  loadNabWindows,
  nabWindowsForFile,
  type LabelWindow,
} from "../framework/processing/labels.js";
import { UserInputError } from "../framework/runtime/user-input-error.js";
import type { RandomStreams } from "../sim/random.js";
import { loadCalibration } from "./calibration-file.js";
import { generateRecords } from "./generator.js";
import type { ScenarioConfig } from "./scenario.js";

/** A source of records for one run, with the facts config.json records about it. */
export interface WorkloadSource {
  /** Records in event-time order; call once per run. */
  records(streams: RandomStreams): AsyncIterable<SensorRecord> | Iterable<SensorRecord>;
  /** Label windows in trace time, once `records` has been read; null when there are none. */
  labelWindows(): LabelWindow[] | null;
  /** Event time of the trace's first record before speed-up and fan-out; null for generators. */
  traceStartUs(): number | null;
  /** Replay counters of a trace; null for generators. */
  replayStats: ReplayStats | null;
  /** Facts for config.json: kind, files and checksums. */
  describe(): Record<string, unknown>;
}

/** Options of a trace replay. */
export interface TraceReplayOptions {
  tracePath: string;
  descriptorPath: string;
  skipBadRows: boolean;
  /** NAB label windows for this file, when it has them. */
  nabLabels?: { path: string; key: string };
}

/** Returns the scenario's calibrated generator as a source. */
export function generatorSource(config: ScenarioConfig): WorkloadSource {
  const calibration = loadCalibration(config.name);
  const shares = config.traces.map((trace) => trace.deviceShare);
  const devices = apportion(config.devices, shares);
  const kinds = calibration.kinds.map((kind, i) => ({ calibration: kind, devices: devices[i] }));
  return {
    records: (streams) =>
      generateRecords(kinds, calibration.startUs, config.durationUs, streams.stream("generator")),
    labelWindows: () => null,
    traceStartUs: () => null,
    replayStats: null,
    describe: () => ({
      kind: "generator",
      calibration: `scenarios/calibration/${config.name}.json`,
      devicesByKind: Object.fromEntries(kinds.map((k) => [k.calibration.kind, k.devices])),
      calibratedFrom: calibration.kinds.map((k) => k.source),
    }),
  };
}

/** Returns a real trace replay as a source: reorder, speed-up, then fan-out. */
export function traceSource(config: ScenarioConfig, options: TraceReplayOptions): WorkloadSource {
  const descriptor = readDescriptorFile(options.descriptorPath);
  const stats = new ReplayStats();
  let firstUs: number | null = null;
  let windows: LabelWindow[] | null = null;
  const inlineLabels: SensorRecord[] = [];

  async function* tapped(): AsyncGenerator<SensorRecord> {
    for await (const record of readTrace(options.tracePath, descriptor, {
      skipBadRows: options.skipBadRows,
      stats,
    })) {
      firstUs = firstUs === null ? record.eventTimeUs : Math.min(firstUs, record.eventTimeUs);
      const anomaly = record.labels?.anomaly;
      if (anomaly !== undefined && anomaly !== null) {
        inlineLabels.push({
          deviceId: "trace",
          metric: "anomaly",
          eventTimeUs: record.eventTimeUs,
          value: anomaly,
        });
      }
      yield record;
    }
    if (inlineLabels.length > 0) windows = labelWindowsFromRecords(inlineLabels, "anomaly");
  }

  return {
    async *records(streams) {
      if (options.nabLabels !== undefined) {
        const zone = descriptorZone(descriptor);
        const byFile = await loadNabWindows(options.nabLabels.path, zone);
        windows = nabWindowsForFile(byFile, options.nabLabels.key);
      }
      const ordered = reorderByEventTime(tapped(), {
        reorderWindowUs: config.reorderWindowUs,
        stats,
      });
      const fast = config.speed === 1 ? ordered : speedUp(ordered, { speed: config.speed });
      yield* fanOut(fast, {
        devices: config.devices,
        spanUs: config.fanOutSpreadUs,
        jitterUs: config.fanOutJitterUs,
        rng: streams.stream("fan-out"),
      });
    },
    labelWindows: () => windows,
    traceStartUs: () => firstUs,
    replayStats: stats,
    describe: () => ({
      kind: "trace",
      trace: options.tracePath,
      traceSha256: sha256Of(options.tracePath),
      descriptor: options.descriptorPath,
      labels: options.nabLabels ?? (descriptor.labels.length > 0 ? "inline" : null),
      fanOutFactor: config.devices,
    }),
  };
}

/**
 * Returns a source that yields `records` (already read, in event-time order) and reports
 * `origin`'s labels, trace start, replay counters and description. A second run over the same
 * records, such as the simulated counterpart of a live run, then scores and records as the
 * first did.
 */
export function recordsSource(
  records: readonly SensorRecord[],
  origin: WorkloadSource,
): WorkloadSource {
  return {
    records: () => records,
    labelWindows: () => origin.labelWindows(),
    traceStartUs: () => origin.traceStartUs(),
    replayStats: origin.replayStats,
    describe: () => origin.describe(),
  };
}

/** Reads and validates a descriptor file with one-line errors. */
export function readDescriptorFile(path: string): TraceDescriptor {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new UserInputError(`cannot read descriptor "${path}": file not found or unreadable`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserInputError(`descriptor "${path}" is not valid JSON: ${(error as Error).message}`);
  }
  return parseDescriptor(json, path);
}

/** Returns the time zone a descriptor reads local times in, UTC when it names none. */
export function descriptorZone(descriptor: TraceDescriptor): string {
  const time = descriptor.time;
  return (time.kind === "column" || time.kind === "dateAndTime") && time.timeZone !== undefined
    ? time.timeZone
    : "UTC";
}

/** Returns the SHA-256 of a file in hex. */
export function sha256Of(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** Splits `total` into integer parts proportional to `shares` (largest remainder). */
export function apportion(total: number, shares: readonly number[]): number[] {
  const exact = shares.map((share) => share * total);
  const parts = exact.map(Math.floor);
  const byRemainder = exact
    .map((value, i) => ({ remainder: value - Math.floor(value), i }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  const leftover = total - parts.reduce((a, b) => a + b, 0);
  for (let k = 0; k < leftover; k++) parts[byRemainder[k % byRemainder.length].i]++;
  return parts;
}
