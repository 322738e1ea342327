/** The error of a failed live operation against a broker, with the context to act on it. */

/** Context of a live failure. */
export interface LiveErrorContext {
  /** Broker address or URL. */
  broker?: string;
  topic?: string;
  /** Attempt number, from 1. */
  attempt?: number;
}

/** A broker operation failed: connect, publish, produce, consume or a record's processing. */
export class LiveIngestionError extends Error {
  override readonly name = "LiveIngestionError";

  constructor(
    message: string,
    readonly context: LiveErrorContext,
    /** Whether the same operation may succeed when tried again. */
    readonly isRetriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
