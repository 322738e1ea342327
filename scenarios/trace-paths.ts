/**
 * Locations of the real traces and of the repository's own files, independent of the working
 * directory the CLI or a test starts in.
 */
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Root of the repository (the folder holding package.json). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Returns the folder of real sensor traces: `TRACES_DIR` when set, else `../shared/traces`
 * beside the repository. Returns null when neither exists.
 */
export function findTracesRoot(): string | null {
  const candidates = [process.env.TRACES_DIR, join(repoRoot, "..", "shared", "traces")];
  for (const candidate of candidates) {
    if (candidate !== undefined && candidate !== "" && existsSync(candidate))
      return resolve(candidate);
  }
  return null;
}

/** Resolves a path relative to the repository root unless it is absolute. */
export function repoPath(path: string): string {
  return isAbsolute(path) ? path : join(repoRoot, path);
}
