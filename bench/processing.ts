/**
 * Throughput of the processing pipeline (watermark, device and area windows, anomaly detector)
 * on synthetic city streams cut into micro-batches by a trigger interval or by a record count.
 * `npx tsx bench/processing.ts` prints records per second and µs per batch for each case.
 * With `--digest` it prints the sha256 of every case's output instead. A change meant only to
 * speed the pipeline up must leave those digests unchanged.
 */
import { createHash } from "node:crypto";
import { cpus } from "node:os";
import { pathToFileURL } from "node:url";
import type { SensorRecord } from "../framework/ingestion/record.js";
import { createPipeline, type Pipeline } from "../framework/processing/pipeline.js";
import type { PipelineSpec } from "../framework/processing/pipeline-spec.js";
import { HOUR_US, MINUTE_US, SECOND_US } from "../scenarios/common.js";
import { areaOf } from "../scenarios/workload-builder.js";
import { RandomStreams, type RandomStream } from "../sim/random.js";

/** The smart city scenario's pipeline, written out so that scenario edits leave figures alone. */
const SPEC: PipelineSpec = {
  deviceWindow: { sizeUs: 5 * MINUTE_US },
  areaWindow: { sizeUs: 15 * MINUTE_US, slideUs: 5 * MINUTE_US },
  allowedLatenessUs: 10 * MINUTE_US,
  maxFutureSkewUs: HOUR_US,
  anomaly: { method: "robust-z", threshold: 3.5, windowSize: 64, warmup: 16 },
};

/** Edge nodes of the smart city scenario, which are the areas of the area window. */
const AREAS = 16;

// 2024-01-01T00:00:00Z.
const START_US = 1_704_067_200 * SECOND_US;

/** Devices that report alike: the same period, each device its own phase. */
interface DeviceGroup {
  /** Prefix of the group's device ids, followed by the device number. */
  idPrefix: string;
  devices: number;
  /** Time between two readings of one device, in µs. */
  periodUs: number;
  /** Metrics of one reading of a device; a reading yields one record per metric. */
  metricsOf: (device: number) => readonly string[];
}

/** Shape of one synthetic stream. */
interface StreamShape {
  /** Label printed with the stream's figures. */
  name: string;
  groups: readonly DeviceGroup[];
  /** Event-time span of the stream, in µs. */
  durationUs: number;
}

const TRAFFIC_AND_CO = ["speed", "occupancy", "speed", "occupancy", "CO(GT)"];

/** The 13 series of one row of the UCI air quality trace. */
const AIR_QUALITY = [
  "CO(GT)",
  "PT08.S1(CO)",
  "NMHC(GT)",
  "C6H6(GT)",
  "PT08.S2(NMHC)",
  "NOx(GT)",
  "PT08.S3(NOx)",
  "NO2(GT)",
  "PT08.S4(NO2)",
  "PT08.S5(O3)",
  "T",
  "RH",
  "AH",
];

const STREAMS: readonly StreamShape[] = [
  {
    name: "city 5 min",
    groups: [
      {
        idPrefix: "sensor-",
        devices: 2_000,
        periodUs: 5 * MINUTE_US,
        metricsOf: (device) => [TRAFFIC_AND_CO[device % TRAFFIC_AND_CO.length]],
      },
    ],
    durationUs: 24 * HOUR_US,
  },
  {
    name: "city 1 Hz",
    groups: [
      {
        idPrefix: "sensor-",
        devices: 100,
        periodUs: SECOND_US,
        metricsOf: (device) => [TRAFFIC_AND_CO[device % TRAFFIC_AND_CO.length]],
      },
    ],
    durationUs: HOUR_US,
  },
  // The smart city scenario's mix: 1,600 traffic detectors every 5 min and 400 air-quality
  // stations reporting 13 series each hour, 6,800 series in all.
  {
    name: "city mixed",
    groups: [
      {
        idPrefix: "traffic-",
        devices: 1_600,
        periodUs: 5 * MINUTE_US,
        metricsOf: (device) => [device % 2 === 0 ? "speed" : "occupancy"],
      },
      { idPrefix: "air-", devices: 400, periodUs: HOUR_US, metricsOf: () => AIR_QUALITY },
    ],
    durationUs: 24 * HOUR_US,
  },
];

/** Rule that cuts a stream into micro-batches: a trigger interval or a record count. */
type Batching = { triggerUs: number } | { records: number };

const BATCHINGS: readonly Batching[] = [
  { triggerUs: SECOND_US },
  { triggerUs: 10 * SECOND_US },
  { records: 10_000 },
];

/** A stream in arrival order with its arrival times. */
interface ArrivalStream {
  records: SensorRecord[];
  arrivalUs: Float64Array;
}

/** One micro-batch and the processing time passed with it. */
interface MicroBatch {
  records: SensorRecord[];
  processingTimeUs: number;
}

/**
 * Builds a stream of readings in arrival order. Each device reports once per period at its
 * own phase with up to 2 s of jitter, on a daily cycle plus noise, and the records of one
 * reading arrive together. 0.5% of values are missing, 0.2% are spikes of 10 standard
 * deviations, 0.3% of readings arrive 1 to 30 min late, and 1 record in 50,000 carries an
 * event time a year ahead.
 */
function buildStream(shape: StreamShape, seed: number): ArrivalStream {
  const streams = new RandomStreams(seed);
  const phases = streams.stream("bench/phase");
  const values = streams.stream("bench/value");
  const delays = streams.stream("bench/delay");

  const records: SensorRecord[] = [];
  const arrivals: number[] = [];
  for (const group of shape.groups) {
    const phaseUs = Array.from({ length: group.devices }, () =>
      Math.floor(phases.uniform() * group.periodUs),
    );
    // One id string per device, shared by its records, as the scenario generator does.
    const deviceIds = Array.from({ length: group.devices }, (_, i) => `${group.idPrefix}${i}`);
    for (let periodStartUs = 0; periodStartUs < shape.durationUs; periodStartUs += group.periodUs) {
      for (let device = 0; device < group.devices; device++) {
        const jitterUs = Math.round(phases.uniform() * 2 * SECOND_US);
        const eventTimeUs = START_US + periodStartUs + phaseUs[device] + jitterUs;
        for (const metric of group.metricsOf(device)) {
          records.push({
            deviceId: deviceIds[device],
            metric,
            eventTimeUs: futureShift(delays, eventTimeUs),
            value: readingValue(values, device, eventTimeUs),
          });
        }
        const arrivalUs = eventTimeUs + arrivalDelayUs(delays);
        while (arrivals.length < records.length) {
          arrivals.push(arrivalUs);
        }
      }
    }
  }

  // Arrival order; ties keep generation order.
  const order = Array.from(records.keys()).sort((a, b) => arrivals[a] - arrivals[b] || a - b);
  return {
    records: order.map((i) => records[i]),
    arrivalUs: Float64Array.from(order, (i) => arrivals[i]),
  };
}

function readingValue(values: RandomStream, device: number, eventTimeUs: number): number | null {
  if (values.uniform() < 0.005) {
    return null;
  }
  const dayAngle = (2 * Math.PI * (eventTimeUs - START_US)) / (24 * HOUR_US);
  const level = 40 + (device % 7) * 5 + 10 * Math.sin(dayAngle);
  const spike = values.uniform() < 0.002 ? 10 : 0;
  return level + 2 * (values.normal() + spike);
}

/** Network delay of one record: tens to hundreds of ms, and 1 to 30 min for a few. */
function arrivalDelayUs(delays: RandomStream): number {
  const delayUs = 50_000 + Math.round(delays.exponential(1 / 200_000));
  return delays.uniform() < 0.003 ? delayUs + delays.integer(1, 30) * MINUTE_US : delayUs;
}

/** Moves a rare event time a year ahead, as a device with a broken clock would. */
function futureShift(delays: RandomStream, eventTimeUs: number): number {
  return delays.uniform() < 0.00002 ? eventTimeUs + 365 * 24 * HOUR_US : eventTimeUs;
}

/**
 * Cuts a stream into micro-batches. A trigger batch contains the records that arrived since
 * the previous trigger and runs at the trigger time. Empty batches are skipped, as Structured
 * Streaming skips them. A count batch runs at the arrival of its last record.
 */
function cutBatches(stream: ArrivalStream, batching: Batching): MicroBatch[] {
  const batches: MicroBatch[] = [];
  const { records, arrivalUs } = stream;
  let first = 0;
  while (first < records.length) {
    let end: number;
    let processingTimeUs: number;
    if ("triggerUs" in batching) {
      processingTimeUs =
        (Math.floor(arrivalUs[first] / batching.triggerUs) + 1) * batching.triggerUs;
      end = first;
      while (end < records.length && arrivalUs[end] < processingTimeUs) end++;
    } else {
      end = Math.min(records.length, first + batching.records);
      processingTimeUs = arrivalUs[end - 1];
    }
    batches.push({ records: records.slice(first, end), processingTimeUs });
    first = end;
  }
  return batches;
}

function createBenchPipeline(): Pipeline {
  return createPipeline(SPEC, { areaOf: (deviceId) => areaOf(deviceId, AREAS) });
}

/** Runs a fresh pipeline over every batch, finishes it and returns the wall time in ms. */
function timeRun(batches: readonly MicroBatch[]): number {
  const pipeline = createBenchPipeline();
  const startMs = performance.now();
  for (const batch of batches) {
    pipeline.processBatch(batch.records, batch.processingTimeUs);
  }
  pipeline.finish(batches[batches.length - 1].processingTimeUs);
  return performance.now() - startMs;
}

/** Keeps ±Infinity and NaN apart in the digest, which JSON would all print as null. */
function digestReplacer(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? String(value) : value;
}

/**
 * Returns the sha256 of every `BatchResult` of a run, one JSON line each, followed by the
 * pipeline's final stats.
 */
function digestRun(batches: readonly MicroBatch[]): string {
  const pipeline = createBenchPipeline();
  const hash = createHash("sha256");
  for (const batch of batches) {
    const result = pipeline.processBatch(batch.records, batch.processingTimeUs);
    hash.update(`${JSON.stringify(result, digestReplacer)}\n`);
  }
  const last = pipeline.finish(batches[batches.length - 1].processingTimeUs);
  hash.update(`${JSON.stringify(last, digestReplacer)}\n`);
  hash.update(JSON.stringify(pipeline.stats(), digestReplacer));
  return hash.digest("hex");
}

function batchingName(batching: Batching): string {
  return "triggerUs" in batching
    ? `trigger ${batching.triggerUs / SECOND_US} s`
    : `${batching.records} records`;
}

/**
 * Times the pipeline on each stream and batching, best of `repeats` runs after one warm-up
 * run per stream, and returns one line per case with records per second and µs per batch.
 */
export function runProcessingBenchmark(repeats = 3, seed = 1): string[] {
  const lines = [`processing pipeline (smart city spec, best of ${repeats} runs after a warm-up)`];
  for (const shape of STREAMS) {
    const stream = buildStream(shape, seed);
    timeRun(cutBatches(stream, BATCHINGS[0])); // warm-up so the JIT has compiled the operators
    for (const batching of BATCHINGS) {
      const batches = cutBatches(stream, batching);
      let bestMs = Number.POSITIVE_INFINITY;
      for (let run = 0; run < repeats; run++) {
        bestMs = Math.min(bestMs, timeRun(batches));
      }
      const recordCount = stream.records.length;
      const recordsPerSec = (recordCount / bestMs) * 1000;
      const usPerBatch = (bestMs * 1000) / batches.length;
      lines.push(
        `  ${shape.name.padEnd(10)} ${batchingName(batching).padEnd(14)}: ` +
          `${(recordsPerSec / 1e6).toFixed(3)} M records/s, ` +
          `${usPerBatch.toFixed(1)} µs per batch ` +
          `(${recordCount} records in ${batches.length} batches, ${bestMs.toFixed(0)} ms)`,
      );
    }
  }
  return lines;
}

/** Returns one line per stream and batching with the sha256 of the run's output. */
export function digestProcessingOutputs(seed = 1): string[] {
  const lines = [`processing pipeline output digests (seed ${seed})`];
  for (const shape of STREAMS) {
    const stream = buildStream(shape, seed);
    for (const batching of BATCHINGS) {
      const digest = digestRun(cutBatches(stream, batching));
      lines.push(`  ${shape.name.padEnd(10)} ${batchingName(batching).padEnd(14)}: ${digest}`);
    }
  }
  return lines;
}

/** Prints `runProcessingBenchmark`'s lines, as `npm run bench` calls each suite. */
export async function runBenchmark(): Promise<void> {
  process.stdout.write(`${runProcessingBenchmark().join("\n")}\n\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.stdout.write(
    `machine: ${cpus()[0]?.model ?? "unknown"}, ${cpus().length} cores, node ${process.version}\n`,
  );
  const lines = process.argv.includes("--digest")
    ? digestProcessingOutputs()
    : runProcessingBenchmark();
  process.stdout.write(`${lines.join("\n")}\n`);
}
