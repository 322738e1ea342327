/**
 * Logging of live ingestion modules: a short sentence plus a fields object, per level, so
 * broker reconnects, retries and dead letters are visible with the ids involved.
 */

/** Severity of a log line. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Receives one log line. */
export type LiveLogger = (
  level: LogLevel,
  message: string,
  fields?: Record<string, unknown>,
) => void;

/** Returns a logger that writes `level message {fields}` lines to stderr at `minLevel` or above. */
export function stderrLogger(minLevel: LogLevel = "info"): LiveLogger {
  const order: LogLevel[] = ["debug", "info", "warn", "error"];
  const threshold = order.indexOf(minLevel);
  return (level, message, fields) => {
    if (order.indexOf(level) < threshold) return;
    const suffix = fields === undefined ? "" : ` ${JSON.stringify(fields)}`;
    process.stderr.write(`${new Date().toISOString()} ${level} ${message}${suffix}\n`);
  };
}

/** A logger that keeps every line in memory, for tests that check what was logged. */
export class MemoryLogger {
  readonly lines: { level: LogLevel; message: string; fields?: Record<string, unknown> }[] = [];
  readonly log: LiveLogger = (level, message, fields) => {
    this.lines.push({ level, message, fields });
  };

  /** Returns the lines whose message contains `text`. */
  matching(text: string): { level: LogLevel; message: string; fields?: Record<string, unknown> }[] {
    return this.lines.filter((line) => line.message.includes(text));
  }
}
