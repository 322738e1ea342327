/**
 * Locations of the real traces and of the repository's own files, independent of the working
 * directory the CLI or a test starts in.
 */
import { isAbsolute, join } from "node:path";
import { repoRoot, resolveTracesRoot } from "../framework/ingestion/trace-catalog.js";

export { repoRoot };

/**
 * Returns the folder of real sensor traces: `TRACES_DIR` when set, else `../shared/traces`
 * beside the repository; null when there is none.
 */
export function findTracesRoot(): string | null {
  return resolveTracesRoot() ?? null;
}

/** Resolves a path relative to the repository root unless it is absolute. */
export function repoPath(path: string): string {
  return isAbsolute(path) ? path : join(repoRoot, path);
}
