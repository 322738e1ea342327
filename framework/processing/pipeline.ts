/**
 * The micro-batch processing pipeline: watermark, per-device tumbling window, per-area sliding
 * window and per-series anomaly detection, run in that order on each batch.
 */

import type { SensorRecord } from "../ingestion/record.js";
import { UserInputError } from "../runtime/user-input-error.js";
import { AnomalyDetector, type AnomalyEvent, type DetectorSeries } from "./anomaly-detector.js";
import { validatePipelineSpec, type PipelineSpec } from "./pipeline-spec.js";
import { SlidingWindowOperator } from "./sliding-window.js";
import { TumblingWindowOperator } from "./tumbling-window.js";
import type { WindowResult } from "./window-aggregate.js";
import { EventTimeWatermark } from "./watermark.js";
import type { WindowSeries } from "./window-series.js";

/**
 * Operator names in the order each record passes through them. `validate` checks the record
 * and `watermark` classifies it against the event-time watermark; an engine model can charge a
 * per-record service time for each name.
 */
export const PIPELINE_OPERATORS = [
  "validate",
  "watermark",
  "device-window",
  "area-window",
  "anomaly",
] as const;

/** One of `PIPELINE_OPERATORS`. */
export type PipelineOperator = (typeof PIPELINE_OPERATORS)[number];

/** Functions a pipeline needs besides its spec. */
export interface PipelineOptions {
  /** Area of a device, the grouping key of the area window; called once per device id. */
  areaOf: (deviceId: string) => string;
}

/** Record and result counts of one batch, or cumulative over a run. */
export interface BatchCounts {
  /** Records received. */
  recordsIn: number;
  /** Records whose value was null or not finite: counted, never aggregated. */
  missing: number;
  /** Records flagged by the watermark's future-outlier guard. */
  futureOutliers: number;
  /** Records late for the device window: their window had already been emitted. */
  lateDeviceWindow: number;
  /** Records late for at least one of their area windows. */
  lateAreaWindow: number;
  /** Device window results emitted, of every status. */
  deviceWindowResults: number;
  /** Area window results emitted, of every status. */
  areaWindowResults: number;
  /** Anomaly events emitted. */
  anomalies: number;
}

/** Everything one call to `processBatch` or `finish` produced. */
export interface BatchResult {
  /** Processing time passed by the caller, in µs. */
  processingTimeUs: number;
  /** Watermark in force while the batch was processed, in µs. */
  watermarkUs: number;
  /** Watermark after the batch, which closed the emitted windows, in µs. */
  nextWatermarkUs: number;
  counts: BatchCounts;
  /** Device window results in `compareWindowResults` order. */
  deviceWindows: WindowResult[];
  /** Area window results in `compareWindowResults` order. */
  areaWindows: WindowResult[];
  /** Anomaly events in the order of the batch's records. */
  anomalies: AnomalyEvent[];
  /** The batch's future outliers in batch order, also emitted as `future-outlier` results. */
  futureOutliers: SensorRecord[];
}

/** Cumulative counts of a pipeline. */
export interface PipelineStats extends BatchCounts {
  /** Calls to `processBatch`. */
  batches: number;
  /** Watermark in force for the next batch, in µs. */
  watermarkUs: number;
}

/** A running pipeline. */
export interface Pipeline {
  /** Operator names in record order, the same list as `PIPELINE_OPERATORS`. */
  readonly operators: readonly PipelineOperator[];
  /**
   * Processes one micro-batch. It flags future outliers, aggregates every record into its
   * windows and scores every value, late records and future outliers included. Then it
   * raises the watermark and emits the windows that the new watermark closes.
   * `processingTimeUs` must be on the event-time axis, in µs since the Unix epoch; see
   * `EventTimeWatermark` for how it bounds event times.
   *
   * @throws UserInputError when a record's event time is not an integer
   * @throws Error after `finish`
   */
  processBatch(records: readonly SensorRecord[], processingTimeUs: number): BatchResult;
  /**
   * Emits every window still open, as at the end of input. The pipeline then rejects further
   * batches.
   */
  finish(processingTimeUs: number): BatchResult;
  /** Returns the cumulative counts. */
  stats(): PipelineStats;
}

/**
 * Builds a pipeline from a scenario's spec.
 *
 * @throws UserInputError listing every problem of the spec
 */
export function createPipeline(spec: PipelineSpec, options: PipelineOptions): Pipeline {
  return new StreamPipeline(validatePipelineSpec(spec), options);
}

/** The handles of one (device, metric) series in each operator. */
interface SeriesRoute {
  metric: string;
  /** Route of the record that followed this route's record last time, from the same device. */
  next: SeriesRoute | null;
  deviceWindow: WindowSeries;
  areaWindow: WindowSeries;
  detector: DetectorSeries;
}

/** A device's area and the routes of the metrics it has reported. */
interface DeviceRoutes {
  area: string;
  /** Route of the device's latest record, which serves every record of a one-metric device. */
  latest: SeriesRoute | null;
  byMetric: Map<string, SeriesRoute>;
}

/**
 * Runs the operators on each batch. Each record's series is looked up once, in `routes`, and
 * the handles found there go to all three operators. One or two map lookups per record thus
 * replace the seven the operators would make on their own.
 */
class StreamPipeline implements Pipeline {
  readonly operators = PIPELINE_OPERATORS;
  private readonly watermark: EventTimeWatermark;
  private readonly deviceWindow: TumblingWindowOperator;
  private readonly areaWindow: SlidingWindowOperator;
  private readonly detector: AnomalyDetector;
  private readonly areaOf: (deviceId: string) => string;
  private readonly routes = new Map<string, DeviceRoutes>();
  private readonly totals: BatchCounts = emptyCounts();
  /** Future-outlier flags of the current batch, reused and grown as batches require. */
  private futureOutlierFlags = new Uint8Array(1024);
  private batchCount = 0;
  private isFinished = false;

  constructor(spec: PipelineSpec, options: PipelineOptions) {
    this.watermark = new EventTimeWatermark({
      allowedLatenessUs: spec.allowedLatenessUs,
      maxFutureSkewUs: spec.maxFutureSkewUs,
    });
    this.deviceWindow = new TumblingWindowOperator({
      sizeUs: spec.deviceWindow.sizeUs,
      keyOf: (record) => record.deviceId,
    });
    this.areaWindow = new SlidingWindowOperator({
      sizeUs: spec.areaWindow.sizeUs,
      slideUs: spec.areaWindow.slideUs,
      keyOf: (record) => this.routesOf(record.deviceId).area,
    });
    this.detector = new AnomalyDetector(spec.anomaly);
    this.areaOf = options.areaOf;
  }

  processBatch(records: readonly SensorRecord[], processingTimeUs: number): BatchResult {
    if (this.isFinished) {
      throw new Error("pipeline already finished: processBatch must not follow finish");
    }
    for (const record of records) {
      validateRecord(record);
    }

    // The watermark in force and the one after the batch are its value before and after.
    const isFutureOutlier = this.futureOutlierFlagsFor(records.length);
    const watermarkUs = this.watermark.currentUs;
    const futureOutlierCount = this.watermark.advanceInto(
      records,
      processingTimeUs,
      isFutureOutlier,
    );
    const nextWatermarkUs = this.watermark.currentUs;

    // Aggregate and score every record; outliers go to their own aggregates.
    const counts = emptyCounts();
    const anomalies: AnomalyEvent[] = [];
    const futureOutliers: SensorRecord[] = [];
    for (let i = 0; i < records.length; i++) {
      const record = records[i];
      const route = this.routeOf(record);
      if (record.value === null || !Number.isFinite(record.value)) {
        counts.missing += 1;
      }
      if (isFutureOutlier[i] === 1) {
        futureOutliers.push(record);
        this.deviceWindow.addFutureOutlierToSeries(route.deviceWindow, record);
        this.areaWindow.addFutureOutlierToSeries(route.areaWindow, record);
      } else {
        if (this.deviceWindow.addToSeries(route.deviceWindow, record, watermarkUs)) {
          counts.lateDeviceWindow += 1;
        }
        if (this.areaWindow.addToSeries(route.areaWindow, record, watermarkUs)) {
          counts.lateAreaWindow += 1;
        }
      }
      const event = this.detector.observeInSeries(route.detector, record);
      if (event !== null) {
        anomalies.push(event);
      }
    }

    const deviceWindows = this.deviceWindow.emitClosed(nextWatermarkUs);
    const areaWindows = this.areaWindow.emitClosed(nextWatermarkUs);
    counts.recordsIn = records.length;
    counts.futureOutliers = futureOutlierCount;
    counts.anomalies = anomalies.length;
    this.batchCount += 1;
    return this.completeResult(processingTimeUs, watermarkUs, nextWatermarkUs, counts, {
      deviceWindows,
      areaWindows,
      anomalies,
      futureOutliers,
    });
  }

  finish(processingTimeUs: number): BatchResult {
    if (this.isFinished) {
      throw new Error("pipeline already finished: finish must be called once");
    }
    this.isFinished = true;
    const watermarkUs = this.watermark.currentUs;
    return this.completeResult(processingTimeUs, watermarkUs, watermarkUs, emptyCounts(), {
      deviceWindows: this.deviceWindow.flush(),
      areaWindows: this.areaWindow.flush(),
      anomalies: [],
      futureOutliers: [],
    });
  }

  stats(): PipelineStats {
    return { ...this.totals, batches: this.batchCount, watermarkUs: this.watermark.currentUs };
  }

  /** Completes the counts of a result and adds them to the totals. */
  private completeResult(
    processingTimeUs: number,
    watermarkUs: number,
    nextWatermarkUs: number,
    counts: BatchCounts,
    outputs: Pick<BatchResult, "deviceWindows" | "areaWindows" | "anomalies" | "futureOutliers">,
  ): BatchResult {
    counts.deviceWindowResults = outputs.deviceWindows.length;
    counts.areaWindowResults = outputs.areaWindows.length;
    addCounts(this.totals, counts);
    return {
      processingTimeUs,
      watermarkUs,
      nextWatermarkUs,
      counts,
      deviceWindows: outputs.deviceWindows,
      areaWindows: outputs.areaWindows,
      anomalies: outputs.anomalies,
      futureOutliers: outputs.futureOutliers,
    };
  }

  /** Returns the reused future-outlier flag array, grown to hold at least `count` records. */
  private futureOutlierFlagsFor(count: number): Uint8Array {
    if (this.futureOutlierFlags.length < count) {
      const length = Math.max(count, 2 * this.futureOutlierFlags.length);
      this.futureOutlierFlags = new Uint8Array(length);
    }
    return this.futureOutlierFlags;
  }

  /**
   * Returns the route of a record's series, creating it on the series' first record. A device
   * with several metrics usually sends them in the same order with every reading, so the route
   * that followed the latest one last time is tried before the map.
   */
  private routeOf(record: SensorRecord): SeriesRoute {
    const device = this.routesOf(record.deviceId);
    const latest = device.latest;
    if (latest !== null && latest.metric === record.metric) {
      return latest;
    }
    if (latest !== null && latest.next !== null && latest.next.metric === record.metric) {
      device.latest = latest.next;
      return latest.next;
    }

    let route = device.byMetric.get(record.metric);
    if (route === undefined) {
      route = {
        metric: record.metric,
        next: null,
        deviceWindow: this.deviceWindow.seriesOf(record.deviceId, record.metric),
        areaWindow: this.areaWindow.seriesOf(device.area, record.metric),
        detector: this.detector.seriesOf(record.deviceId, record.metric),
      };
      device.byMetric.set(record.metric, route);
    }
    if (latest !== null) {
      latest.next = route;
    }
    device.latest = route;
    return route;
  }

  /** Returns a device's routes, calling `areaOf` on the device's first record. */
  private routesOf(deviceId: string): DeviceRoutes {
    let device = this.routes.get(deviceId);
    if (device === undefined) {
      device = { area: this.areaOf(deviceId), latest: null, byMetric: new Map() };
      this.routes.set(deviceId, device);
    }
    return device;
  }
}

function emptyCounts(): BatchCounts {
  return {
    recordsIn: 0,
    missing: 0,
    futureOutliers: 0,
    lateDeviceWindow: 0,
    lateAreaWindow: 0,
    deviceWindowResults: 0,
    areaWindowResults: 0,
    anomalies: 0,
  };
}

/** Adds each count of `counts` to the same count of `total`. */
function addCounts(total: BatchCounts, counts: BatchCounts): void {
  total.recordsIn += counts.recordsIn;
  total.missing += counts.missing;
  total.futureOutliers += counts.futureOutliers;
  total.lateDeviceWindow += counts.lateDeviceWindow;
  total.lateAreaWindow += counts.lateAreaWindow;
  total.deviceWindowResults += counts.deviceWindowResults;
  total.areaWindowResults += counts.areaWindowResults;
  total.anomalies += counts.anomalies;
}

/** Rejects a record whose event time would corrupt window assignment or the watermark. */
function validateRecord(record: SensorRecord): void {
  if (!Number.isSafeInteger(record.eventTimeUs)) {
    const eventTime = String(record.eventTimeUs);
    const series = `device "${record.deviceId}" metric "${record.metric}"`;
    throw new UserInputError(
      `invalid eventTimeUs ${eventTime} for ${series}: expected integer µs since the Unix epoch`,
    );
  }
}
