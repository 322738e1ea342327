/**
 * Names and columns of the sync comparison's files in a run's results directory, written by
 * the simulator when `--sync` is given and read back to draw the sync table and figures.
 * They are separate files rather than rows of summary.csv because their columns differ from
 * the allocator columns.
 */

/** File names of the sync comparison inside `results/<run-id>/`. */
export const syncFileNames = {
  summary: "sync.csv",
  latencyCdf: "sync-latency-cdf.csv",
  backlog: "sync-backlog.csv",
  prefetch: "prefetch.csv",
  markdownTable: "sync-table.md",
  latexTable: "sync-table.tex",
} as const;

/** Columns of sync.csv, one row per scheme. */
export const syncColumns = [
  "scheme",
  "edge_changes",
  "cloud_changes",
  "latency_p50_ms",
  "latency_p95_ms",
  "latency_p99_ms",
  "latency_max_ms",
  "bytes_per_change",
  "messages_per_change",
  "bytes_up",
  "bytes_down",
  "convergence_s",
  "conflicts",
  "resolution",
  "divergent_keys",
  "unsynced_changes",
  "reads",
  "stale_reads",
  "stale_share",
  "stale_gap_p50_s",
  "stale_gap_max_s",
] as const;

/** Columns of sync-latency-cdf.csv: per scheme, latency at evenly spaced shares. */
export const syncLatencyCdfColumns = ["scheme", "latency_ms", "cumulative_share"] as const;

/** Columns of sync-backlog.csv: per scheme, edge changes the cloud has not seen over time. */
export const syncBacklogColumns = ["scheme", "time_s", "unseen_changes"] as const;

/** Columns of prefetch.csv, one row per predictor. */
export const prefetchColumns = [
  "predictor",
  "reads",
  "hit_rate",
  "read_latency_mean_ms",
  "read_latency_p50_ms",
  "read_latency_p95_ms",
  "prefetches",
  "wasted_prefetches",
  "wasted_bytes",
] as const;
