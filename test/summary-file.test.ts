import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCsv } from "../paper/csv.js";
import { resolvePolicies } from "../baselines/registry.js";
import { getScenario } from "../scenarios/registry.js";
import { writeRunFiles } from "../scenarios/results.js";
import { runScenario } from "../scenarios/run-scenario.js";
import { generatorSource } from "../scenarios/workload-source.js";

describe("summary.csv", () => {
  it("marks unmeasured detection metrics NA, apart from zero and empty", async () => {
    const config = getScenario("industry");
    config.durationUs = 60_000_000;
    config.devices = 4;
    const policies = ["static-peak", "oracle"];
    const run = await runScenario(config, generatorSource(config), resolvePolicies(policies));
    const dir = await mkdtemp(join(tmpdir(), "summary-"));
    await writeRunFiles(run, dir, policies);

    const { rows } = await readCsv(join(dir, "summary.csv"));
    // The generator has no label windows, so precision and recall were not measured.
    expect(rows[0].detection_precision).toBeNull();
    expect(rows[0].detection_recall).toBeNull();
    // Cold starts and unfinished records were measured, some as zero.
    expect(rows[0].records_unfinished).toBe(0);
    expect(rows[1].cost_vs_static_peak).toBeTypeOf("number");
  });
});
