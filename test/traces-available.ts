/**
 * How tests find the real traces: a suite that needs them is skipped with its reason in the
 * suite name when they are absent, and fails instead when REQUIRE_SERVICES=1 (as in CI).
 */
import { describe, it } from "vitest";
import { findTracesRoot } from "../scenarios/trace-paths.js";

/** Folder of the real traces, or null. */
export const tracesRoot = findTracesRoot();

/** Declares a suite that needs the real traces; `body` receives their folder. */
export function describeWithTraces(name: string, body: (root: string) => void): void {
  if (tracesRoot !== null) {
    describe(name, () => body(tracesRoot));
  } else if (process.env.REQUIRE_SERVICES === "1") {
    describe(name, () => {
      it("finds the traces folder", () => {
        throw new Error("traces folder not found and REQUIRE_SERVICES=1: set TRACES_DIR");
      });
    });
  } else {
    describe.skip(`${name} (skipped: traces folder not found; set TRACES_DIR)`, () => {
      it("needs the real traces", () => {});
    });
  }
}
