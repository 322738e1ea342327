/**
 * Resolution of a descriptor's column references against a file's header. Header names are
 * compared after trimming whitespace and a UTF-8 byte order mark, because exported CSV files
 * often pad names (` PAR (µmol/m²/s)`) or start with a BOM.
 */
import { UserInputError } from "../runtime/user-input-error.js";
import type { ColumnRef } from "./descriptor.js";

/** Trims whitespace and a leading UTF-8 BOM from a header name. */
export function normalizeHeaderName(name: string): string {
  return name.replace(/^\uFEFF/, "").trim();
}

/** Maps column references to 0-based field indices for one file. */
export class ColumnIndex {
  private readonly names: string[] | undefined;
  private readonly indicesByName = new Map<string, number[]>();

  /** @param header The header row, or undefined for a file without one. */
  constructor(header: string[] | undefined) {
    this.names = header?.map(normalizeHeaderName);
    this.names?.forEach((name, index) => {
      const indices = this.indicesByName.get(name) ?? [];
      indices.push(index);
      this.indicesByName.set(name, indices);
    });
  }

  /** Number of header fields, or undefined without a header. */
  get width(): number | undefined {
    return this.names?.length;
  }

  /** Returns the 0-based index of `ref`, or undefined when the header has no such column. */
  find(ref: ColumnRef): number | undefined {
    if (typeof ref === "number") {
      return this.names === undefined || ref <= this.names.length ? ref - 1 : undefined;
    }
    const exact = this.indicesByName.get(ref);
    if (exact !== undefined) return exact[0];

    // "name#2" selects the second column called "name".
    const occurrence = /^(.*)#(\d+)$/.exec(ref);
    if (occurrence === null) return undefined;
    const indices = this.indicesByName.get(occurrence[1].trim());
    return indices?.[Number(occurrence[2]) - 1];
  }

  /** Describes a column for messages: `column 3 "CO(GT)"`, or `column 3` without a header. */
  label(index: number): string {
    const name = this.names?.[index];
    return name === undefined ? `column ${index + 1}` : `column ${index + 1} "${name}"`;
  }

  /**
   * Resolves every reference at once.
   *
   * @throws UserInputError naming the trace, the descriptor, each missing column and the header
   */
  resolveAll(refs: ColumnRef[], tracePath: string, descriptorSource: string): number[] {
    const indices = refs.map((ref) => this.find(ref));
    const missing = refs.filter((_, i) => indices[i] === undefined);
    if (missing.length === 0) return indices as number[];

    const quoted = missing.map((ref) => (typeof ref === "number" ? String(ref) : `"${ref}"`));
    const noun = missing.length === 1 ? "column" : "columns";
    const header = (this.names ?? []).map((name) => `"${name}"`).join(", ");
    throw new UserInputError(
      `trace "${tracePath}" does not match descriptor "${descriptorSource}": ${noun} ${quoted.join(", ")} not found; the header has ${header}`,
    );
  }
}
