import { join } from "node:path";
import { expect, it } from "vitest";
import { resolvePolicies } from "../baselines/registry.js";
import { getScenario, scenarios } from "../scenarios/registry.js";
import { runScenario } from "../scenarios/run-scenario.js";
import { repoPath } from "../scenarios/trace-paths.js";
import { traceSource } from "../scenarios/workload-source.js";
import { describeWithTraces } from "./traces-available.js";

describeWithTraces("scenario traces through the simulator", (tracesRoot) => {
  for (const scenario of scenarios.values()) {
    for (const trace of scenario.traces) {
      it(`replays ${trace.file} in ${scenario.name}`, async () => {
        const config = getScenario(scenario.name);
        config.devices = 3;
        config.durationUs = 6 * 3_600_000_000;
        const source = traceSource(config, {
          tracePath: join(tracesRoot, trace.file),
          descriptorPath: repoPath(trace.descriptor),
          skipBadRows: false,
          nabLabels: trace.labels && {
            path: join(tracesRoot, trace.labels.file),
            key: trace.labels.key,
          },
        });
        const run = await runScenario(
          config,
          source,
          resolvePolicies(["static-peak", "threshold"]),
        );

        const [outcome] = run.outcomes;
        expect(run.workload.records.length).toBeGreaterThan(0);
        expect(outcome.recordsProcessed + outcome.recordsUnfinished).toBe(
          run.workload.records.length,
        );
        expect(source.replayStats?.badRowsSkipped).toBe(0);
      });
    }
  }

  it("scores detections against the NAB windows of the traffic trace", async () => {
    const config = getScenario("smartcity");
    config.devices = 2;
    config.durationUs = 10 * 86_400_000_000;
    const trace = config.traces[0];
    const source = traceSource(config, {
      tracePath: join(tracesRoot, trace.file),
      descriptorPath: repoPath(trace.descriptor),
      skipBadRows: false,
      nabLabels: { path: join(tracesRoot, trace.labels!.file), key: trace.labels!.key },
    });
    const run = await runScenario(config, source, resolvePolicies(["static-peak"]));
    const detection = run.outcomes[0].detection;
    expect(detection?.windows).toBe(4);
    expect(detection?.precision).not.toBeNull();
    expect(detection?.recall).not.toBeNull();
  });

  it("scores detections against SKAB's inline anomaly labels", async () => {
    const config = getScenario("industry");
    config.devices = 1;
    const trace = config.traces.find((t) => t.kind === "pump-valve")!;
    const source = traceSource(config, {
      tracePath: join(tracesRoot, trace.file),
      descriptorPath: repoPath(trace.descriptor),
      skipBadRows: false,
    });
    const run = await runScenario(config, source, resolvePolicies(["static-peak"]));
    expect(run.outcomes[0].detection?.windows).toBe(1);
  });
});
