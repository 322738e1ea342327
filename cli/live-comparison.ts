/**
 * Live against simulated: after a live run, the simulator replays the records the device
 * emitters published (same trace, fan-out, speed and seed) under one or more allocators. It
 * runs once over the scenario's modelled links, and once more over a measured network profile
 * when one is given. comparison.csv and comparison.md put the live row beside the simulated ones: ingestion
 * latency (publish or send to cloud arrival), end-to-end latency (due or event time to the end
 * of the record's micro-batch) and throughput. The live cloud side is one in-process pipeline
 * and the simulated one is the Spark engine model, so their end-to-end rows differ by design.
 * The ingestion rows test the network model.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { LiveRunResult } from "../framework/ingestion/live-pipeline.js";
import type { SensorRecord } from "../framework/ingestion/record.js";
import type { AllocatorFactory } from "../sim/allocation.js";
import { percentilesOfSorted } from "../sim/metrics.js";
import { writeCsv, type CellValue } from "../paper/csv.js";
import {
  fixedDecimals,
  toMarkdownTable,
  toTerminalTable,
  type TableColumn,
} from "../paper/tables.js";
import { runScenario } from "../scenarios/run-scenario.js";
import type { ScenarioConfig } from "../scenarios/scenario.js";
import { ingestionDelaysUs } from "../scenarios/workload-builder.js";
import { recordsSource, type WorkloadSource } from "../scenarios/workload-source.js";

/** File names of the comparison. */
export const comparisonFileNames = { csv: "comparison.csv", table: "comparison.md" } as const;

/**
 * Columns of comparison.csv. Latencies in ms, rates in records/s. A rate divides the records
 * processed by the run's own span up to its last result, so live and simulated rates differ by
 * how long each takes to drain.
 */
export const comparisonColumns = [
  "run",
  "network",
  "policy",
  "records",
  "throughput_records_per_sec",
  "ingestion_p50_ms",
  "ingestion_p95_ms",
  "ingestion_p99_ms",
  "end_to_end_p50_ms",
  "end_to_end_p95_ms",
  "end_to_end_p99_ms",
  "records_unfinished",
] as const;

/** A comparison.csv row. */
export type ComparisonRow = Record<(typeof comparisonColumns)[number], CellValue>;

/** One network the simulated counterpart runs over. */
export interface SimulatedNetwork {
  /** Label in the `network` column, such as "modelled links". */
  label: string;
  /** The live run's scenario with this network's topology. */
  config: ScenarioConfig;
}

/** Returns the live run's row. */
export function liveComparisonRow(result: LiveRunResult, network: string): ComparisonRow {
  const { processor } = result;
  const ms = (histogram: typeof processor.ingestionLatency, q: number) => {
    const us = histogram.quantileUs(q);
    return us === null ? null : us / 1_000;
  };
  return {
    run: "live",
    network,
    policy: "live",
    records: processor.stats.processed,
    throughput_records_per_sec:
      processor.stats.processed / Math.max(1e-6, result.wallDurationUs / 1e6),
    ingestion_p50_ms: ms(processor.ingestionLatency, 0.5),
    ingestion_p95_ms: ms(processor.ingestionLatency, 0.95),
    ingestion_p99_ms: ms(processor.ingestionLatency, 0.99),
    end_to_end_p50_ms: ms(processor.endToEndLatency, 0.5),
    end_to_end_p95_ms: ms(processor.endToEndLatency, 0.95),
    end_to_end_p99_ms: ms(processor.endToEndLatency, 0.99),
    records_unfinished: result.lost,
  };
}

/**
 * Simulates `records` (in event-time order, as published) over each network under each
 * policy and returns one row per pair.
 */
export async function simulatedComparisonRows(
  records: readonly SensorRecord[],
  origin: WorkloadSource,
  networks: readonly SimulatedNetwork[],
  policies: readonly [string, AllocatorFactory][],
): Promise<ComparisonRow[]> {
  const rows: ComparisonRow[] = [];
  for (const network of networks) {
    const run = await runScenario(network.config, recordsSource(records, origin), policies);
    const ingestion = percentilesOfSorted(ingestionDelaysUs(run.workload));
    for (const outcome of run.outcomes) {
      const endToEnd = percentilesOfSorted(outcome.latenciesUs);
      const ms = (us: number | null) => (us === null ? null : us / 1_000);
      rows.push({
        run: "simulated",
        network: network.label,
        policy: outcome.policy,
        records: outcome.recordsProcessed,
        throughput_records_per_sec: outcome.recordsProcessed / Math.max(1e-6, outcome.endUs / 1e6),
        ingestion_p50_ms: ms(ingestion.p50),
        ingestion_p95_ms: ms(ingestion.p95),
        ingestion_p99_ms: ms(ingestion.p99),
        end_to_end_p50_ms: ms(endToEnd.p50),
        end_to_end_p95_ms: ms(endToEnd.p95),
        end_to_end_p99_ms: ms(endToEnd.p99),
        records_unfinished: outcome.recordsUnfinished,
      });
    }
  }
  return rows;
}

/** Columns of the printed and Markdown comparison table. */
const comparisonTableColumns: readonly TableColumn[] = [
  { key: "run", header: "Run" },
  { key: "network", header: "Network" },
  { key: "policy", header: "Policy" },
  { key: "records", header: "Records", format: fixedDecimals(0) },
  { key: "throughput_records_per_sec", header: "Records/s", format: fixedDecimals(1) },
  { key: "ingestion_p50_ms", header: "Ingest p50 (ms)", format: fixedDecimals(1) },
  { key: "ingestion_p95_ms", header: "Ingest p95 (ms)", format: fixedDecimals(1) },
  { key: "ingestion_p99_ms", header: "Ingest p99 (ms)", format: fixedDecimals(1) },
  { key: "end_to_end_p50_ms", header: "E2E p50 (ms)", format: fixedDecimals(1) },
  { key: "end_to_end_p95_ms", header: "E2E p95 (ms)", format: fixedDecimals(1) },
  { key: "end_to_end_p99_ms", header: "E2E p99 (ms)", format: fixedDecimals(1) },
  { key: "records_unfinished", header: "Unfinished", format: fixedDecimals(0) },
];

/** Writes comparison.csv and comparison.md and returns the table as aligned text. */
export async function writeComparison(
  runDir: string,
  rows: readonly ComparisonRow[],
  caption: string,
): Promise<string> {
  await writeCsv(join(runDir, comparisonFileNames.csv), comparisonColumns, rows);
  await writeFile(
    join(runDir, comparisonFileNames.table),
    `${caption}\n\n${toMarkdownTable(comparisonTableColumns, rows)}`,
  );
  return toTerminalTable(comparisonTableColumns, rows);
}
