/** The unit of data that flows from trace readers and generators into processing. */

/** One sensor reading. */
export interface SensorRecord {
  /** Device (or virtual device after fan-out) that produced the reading. */
  deviceId: string;
  /** Series name, for example `"CO(GT)"` or `"HR"`. */
  metric: string;
  /** Event time in integer microseconds since the Unix epoch, UTC. */
  eventTimeUs: number;
  /** The reading in the descriptor's unit; null where the file held a missing-value marker. */
  value: number | null;
  /**
   * Label columns of the row the reading came from, such as `{ anomaly: 1, changepoint: 0 }`;
   * absent when the trace has no label columns. A label is null where the field was missing.
   */
  labels?: Readonly<Record<string, number | null>>;
}
