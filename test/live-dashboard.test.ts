import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { expect, it } from "vitest";
import { attachProcessor, startDashboard } from "../dashboard/server.js";
import { MemoryLogger } from "../framework/ingestion/live-log.js";
import { runLive } from "../framework/ingestion/live-pipeline.js";
import { repoRoot } from "../scenarios/trace-paths.js";
import { syntheticRecords, testRunOptions } from "./live-fixtures.js";
import { describeWithService } from "./live-services.js";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const chromiumMissing = existsSync(chromiumPath)
  ? null
  : `chromium not found at ${chromiumPath}; apt-get install -y chromium or set CHROMIUM_PATH`;

/** Flags for a quiet, offline headless Chromium. */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

describeWithService("live dashboard in Chromium", chromiumMissing, () => {
  it("draws the run's data in every chart", async () => {
    const dashboard = await startDashboard(0, "Live run: test");
    const userDataDir = mkdtempSync(join(tmpdir(), "chromium-profile-"));
    let context: BrowserContext | null = null;
    try {
      const logger = new MemoryLogger();
      // 20 devices every 2 trace seconds over 400 s at speed 100: 4 s of replay with spikes.
      const records = syntheticRecords(20, 400, 2);
      const run = runLive(
        testRunOptions(records, logger.log, {
          onStart: (handle) => attachProcessor(dashboard, handle.processor),
        }),
      );

      context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: chromiumPath,
        headless: true,
        args: CHROMIUM_ARGS,
      });
      const page = context.pages()[0] ?? (await context.newPage());
      const pageErrors: string[] = [];
      page.on("pageerror", (error) => pageErrors.push(error.message));
      await page.goto(dashboard.url);
      await page.waitForFunction(
        () => {
          const state = (globalThis as any).dashboardState;
          return state !== undefined && state.intervals >= 3 && state.anomalies >= 1;
        },
        undefined,
        { timeout: 30_000 },
      );
      await run;

      const rowCounts = await page.evaluate(() => {
        const views = (globalThis as any).dashboardState.views;
        const counts: Record<string, number> = {};
        for (const id of Object.keys(views)) counts[id] = views[id].data("rows").length;
        return counts;
      });
      expect(Object.keys(rowCounts).sort()).toEqual([
        "anomalies",
        "lag",
        "latency",
        "throughput",
        "workers",
      ]);
      for (const [chart, rows] of Object.entries(rowCounts)) {
        expect(rows, chart).toBeGreaterThan(0);
      }
      // Each line chart draws marks once it has data.
      const pathCount = await page.locator("#throughput svg path").count();
      expect(pathCount).toBeGreaterThan(0);
      expect(pageErrors).toEqual([]);

      const artifacts = join(repoRoot, "test-artifacts");
      mkdirSync(artifacts, { recursive: true });
      const screenshot = join(artifacts, "live-dashboard.png");
      await page.screenshot({ path: screenshot, fullPage: true });
      expect(statSync(screenshot).size).toBeGreaterThan(10_000);
    } finally {
      await context?.close();
      await dashboard.close();
      rmSync(userDataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
