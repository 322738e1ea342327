/**
 * The streaming trace reader: turns a delimited sensor file and its descriptor into sensor
 * records, in file order, without loading the file into memory.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { parse, type Info } from "csv-parse";
import { UserInputError } from "../runtime/user-input-error.js";
import { BadRowError } from "./bad-row.js";
import type { TraceDescriptor } from "./descriptor.js";
import type { SensorRecord } from "./record.js";
import type { ReplayStats } from "./replay-stats.js";
import { RowDecoder } from "./row-decoder.js";

/** Options of `readTrace`. */
export interface ReadTraceOptions {
  /** Whether a malformed row is skipped and counted instead of stopping the replay. */
  skipBadRows: boolean;
  /** Counters that the replay increments. */
  stats: ReplayStats;
}

interface ParsedLine {
  record: string[];
  raw: string;
  info: Info;
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: "file not found",
  EACCES: "permission denied",
  EISDIR: "is a directory",
};

function readFailure(path: string, error: unknown): UserInputError {
  const code = (error as NodeJS.ErrnoException).code ?? "";
  const reason = ERRNO_TEXT[code] ?? (error as Error).message.split("\n")[0];
  return new UserInputError(`cannot read trace "${path}": ${reason}`);
}

/** Returns the 1-based line on which a parsed record starts; quoted fields may span lines. */
function startLine(parsed: ParsedLine): number {
  const body = parsed.raw.replace(/\r?\n$|\r$/, "");
  const innerBreaks = body.match(/\n/g)?.length ?? 0;
  return parsed.info.lines - innerBreaks;
}

/** Returns true for a line that is not data: blank, delimiter-only, a comment or a trailer. */
function isIgnored(parsed: ParsedLine, descriptor: TraceDescriptor): boolean {
  const { format } = descriptor;
  const line = parsed.raw.replace(/\r?\n$|\r$/, "").trim();
  if (line === "") return format.skipBlankLines;
  if (format.commentPrefix !== undefined && line.startsWith(format.commentPrefix)) return true;
  if (format.ignoreRows.includes(line)) return true;
  return format.skipEmptyRows && parsed.record.every((field) => field.trim() === "");
}

/** Opens a file as a stream of parsed CSV records with their raw text and line numbers. */
function openCsv(path: string, descriptor: TraceDescriptor, options: ReadTraceOptions) {
  const { stats, skipBadRows } = options;
  const stream = createReadStream(path);
  const parser = parse({
    delimiter: descriptor.format.delimiter,
    bom: true,
    info: true,
    raw: true,
    relax_column_count: true,
    skip_empty_lines: false,
    skip_records_with_error: skipBadRows,
  });
  // Rows that csv-parse itself cannot split, such as a stray quote, are skipped there.
  parser.on("skip", () => {
    stats.rowsRead += 1;
    stats.badRowsSkipped += 1;
  });
  stream.on("error", (error) => parser.destroy(readFailure(path, error)));
  stream.pipe(parser);
  return { stream, parser };
}

/** Decodes one data row; a malformed row is skipped and counted or reported with its line. */
function decodeRow(
  decoder: RowDecoder,
  parsed: ParsedLine,
  path: string,
  options: ReadTraceOptions,
): SensorRecord[] {
  options.stats.rowsRead += 1;
  try {
    return decoder.decode(parsed.record);
  } catch (error) {
    if (!(error instanceof BadRowError)) throw error;
    if (options.skipBadRows) {
      options.stats.badRowsSkipped += 1;
      return [];
    }
    const separator = error.detail.startsWith("column ") ? ", " : ": ";
    const where = `trace "${path}" line ${startLine(parsed)}`;
    throw new UserInputError(`invalid row in ${where}${separator}${error.detail}`);
  }
}

/**
 * Streams the records of a trace file, in file order. Each data row gives one record per value
 * column (wide layout) or one record (long layout); missing values come out as `value: null`.
 * Duplicates, backward steps, gaps and daylight-saving corrections are counted in
 * `options.stats`, never dropped.
 *
 * @throws UserInputError when the file cannot be read, its header does not match the descriptor,
 *   or a row is malformed and `skipBadRows` is false. A row error names the file, the 1-based
 *   line (header included), the column and the value.
 */
export async function* readTrace(
  path: string,
  descriptor: TraceDescriptor,
  options: ReadTraceOptions,
): AsyncGenerator<SensorRecord> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error("directory"), { code: "EISDIR" });
  } catch (error) {
    throw readFailure(path, error);
  }

  const { format } = descriptor;
  const { stream, parser } = openCsv(path, descriptor, options);
  const preamble: string[][] = [];
  let decoder: RowDecoder | undefined;
  try {
    for await (const parsed of parser as AsyncIterable<ParsedLine>) {
      if (preamble.length < format.skipLines) {
        preamble.push(parsed.record);
      } else if (isIgnored(parsed, descriptor)) {
        options.stats.rowsIgnored += 1;
      } else if (decoder === undefined && format.hasHeader) {
        decoder = new RowDecoder(descriptor, path, preamble, parsed.record, options.stats);
      } else {
        decoder ??= new RowDecoder(descriptor, path, preamble, undefined, options.stats);
        yield* decodeRow(decoder, parsed, path, options);
      }
    }

    // An empty file has no header to match. A headerless file without data rows still has its
    // preamble checked.
    if (decoder === undefined && format.hasHeader) {
      throw new UserInputError(`trace "${path}" has no header row`);
    }
    decoder ??= new RowDecoder(descriptor, path, preamble, undefined, options.stats);
  } catch (error) {
    if (error instanceof UserInputError) throw error;
    // csv-parse reports quoting errors with the line in its own one-line message.
    const message = (error as Error).message.split("\n")[0];
    throw new UserInputError(`invalid CSV in trace "${path}": ${message}`);
  } finally {
    stream.destroy();
    parser.destroy();
  }
}
