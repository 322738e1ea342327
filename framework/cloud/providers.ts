/**
 * Billing and start-up profiles of three serverless Spark offerings: AWS EMR Serverless, GCP
 * Serverless for Apache Spark (Dataproc Serverless) and Azure Synapse Spark pools. Each number
 * cites the public page it comes from. Numbers that no public page confirmed are marked `NOTE:`
 * as assumptions, and every field can be replaced through `getProvider(id, overrides)`.
 */
import { UserInputError } from "../runtime/user-input-error.js";

/** Identifier of a modelled provider. */
export type ProviderId = "aws" | "gcp" | "azure";

/** Valid provider identifiers, sorted alphabetically. */
export const providerIds: readonly ProviderId[] = ["aws", "azure", "gcp"];

/** CPU and memory of one driver or executor. */
export interface WorkerSize {
  /** Virtual CPUs (vCores on Azure). */
  readonly vcpu: number;
  /** Memory in GB. */
  readonly memoryGb: number;
}

/** A Synapse node size that workers are rounded up to. */
export interface NodeSize {
  /** Name used by Azure, such as "Small". */
  readonly name: string;
  readonly vcore: number;
  readonly memoryGb: number;
}

/** EMR Serverless style: a price per vCPU-hour plus a price per GB-hour. */
export interface VcpuMemoryPricing {
  readonly kind: "vcpu-memory";
  readonly usdPerVcpuHour: number;
  readonly usdPerGbHour: number;
}

/**
 * Dataproc Serverless style: a worker is converted to Data Compute Units (DCU), then billed per
 * DCU-hour. Memory up to `memoryGbPerVcpuThreshold` GB per vCPU costs `dcuPerGb`, and memory
 * above it costs `dcuPerGbAboveThreshold`.
 */
export interface DcuPricing {
  readonly kind: "dcu";
  readonly usdPerDcuHour: number;
  readonly dcuPerVcpu: number;
  readonly dcuPerGb: number;
  readonly dcuPerGbAboveThreshold: number;
  readonly memoryGbPerVcpuThreshold: number;
}

/** Synapse style: a worker occupies the smallest node that fits it, billed per vCore-hour. */
export interface NodePricing {
  readonly kind: "node";
  readonly usdPerVcoreHour: number;
  /** Node sizes in ascending order of vCores and memory. */
  readonly nodeSizes: readonly NodeSize[];
}

/** Hourly price model of a worker, one variant per provider's price units. */
export type Pricing = VcpuMemoryPricing | DcuPricing | NodePricing;

/** Size, start-up delay and billing rules of one serverless Spark offering. */
export interface ProviderProfile {
  readonly id: ProviderId;
  /** Product name as the provider spells it. */
  readonly name: string;
  /** Region whose list prices `pricing` uses. */
  readonly region: string;
  /** Default executor size. */
  readonly worker: WorkerSize;
  /** Driver (Synapse: head node), which runs and is billed for the application's lifetime. */
  readonly driver: WorkerSize;
  /** Time from an executor request until the executor is ready, in microseconds. */
  readonly coldStartUs: number;
  /** Billed durations are rounded up to a multiple of this, in microseconds. */
  readonly billingGranularityUs: number;
  /** Minimum billed duration per worker, in microseconds. */
  readonly minimumBilledUs: number;
  /**
   * Executors that stay provisioned beside the driver while the application runs. The engine
   * model and the allocators enforce it; the cost meter does not.
   */
  readonly minWorkers: number;
  /** Idle time after which the application stops and releases its driver, in microseconds. */
  readonly autoStopIdleUs: number | null;
  readonly pricing: Pricing;
}

const secondUs = 1_000_000;
const minuteUs = 60 * secondUs;

const aws: ProviderProfile = {
  id: "aws",
  name: "Amazon EMR Serverless",
  // Region and x86 architecture of the prices below.
  region: "us-west-2",
  // 4 vCPU / 16 GB is the EMR Serverless default for both driver and executors. Allowed sizes
  // run from 1 vCPU / 2 GB to 32 vCPU / 244 GB, which this profile does not check.
  // Source: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/app-behavior.html
  // (current page, undated)
  worker: { vcpu: 4, memoryGb: 16 },
  driver: { vcpu: 4, memoryGb: 16 },
  // NOTE: assumption. AWS publishes no start-up time for workers without pre-initialized
  // capacity, only that pre-initialized workers start "in seconds". 60 s sits between that and
  // the multi-minute start of VM-based pools.
  coldStartUs: 60 * secondUs,
  // Billed per second with a 1-minute minimum per worker.
  // Source: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/considerations.html
  // (current page, undated)
  // NOTE: according to the benchmarking guide cited for the prices, AWS bills a worker from when
  // it is ready, but `billWorker` bills every provider from the request. EMR Serverless bills
  // are therefore overstated by one cold start per worker.
  billingGranularityUs: secondUs,
  minimumBilledUs: minuteUs,
  // Only the driver is required, so executors can scale to zero.
  minWorkers: 0,
  // Auto-stop after 15 minutes idle is the default.
  // Source: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/app-behavior.html
  // (current page, undated)
  autoStopIdleUs: 15 * minuteUs,
  // $0.052624 per vCPU-hour and $0.0057785 per GB-hour, x86, us-west-2.
  // Source: AWS EMR best-practices guide, "Benchmarking Variables",
  // https://aws.github.io/aws-emr-best-practices/docs/benchmarks/benchmarking_variables
  // (undated)
  pricing: { kind: "vcpu-memory", usdPerVcpuHour: 0.052624, usdPerGbHour: 0.0057785 },
};

const gcp: ProviderProfile = {
  id: "gcp",
  name: "Google Cloud Serverless for Apache Spark",
  region: "us-central1",
  // Default driver and executors are 4 vCPU / 16 GB each, 4 DCU each.
  // Source: https://cloud.google.com/dataproc-serverless/pricing (current page, undated)
  worker: { vcpu: 4, memoryGb: 16 },
  driver: { vcpu: 4, memoryGb: 16 },
  // NOTE: assumption. The only published figure is "10-30 s", from a third-party blog:
  // https://oneuptime.com/blog/post/2026-02-17-how-to-migrate-from-dataproc-clusters-to-dataproc-serverless
  // (2026-02). 20 s is the middle of that range.
  coldStartUs: 20 * secondUs,
  // Billed per second with a 1-minute minimum for DCUs and standard shuffle storage.
  // Source: https://cloud.google.com/dataproc-serverless/pricing (current page, undated)
  billingGranularityUs: secondUs,
  minimumBilledUs: minuteUs,
  // spark.dynamicAllocation.minExecutors defaults to 2, so a default workload keeps two
  // executors. Override with 0 to model a workload that lowers that setting.
  // Source: https://cloud.google.com/dataproc-serverless/docs/concepts/autoscaling
  // (current page, undated)
  minWorkers: 2,
  // A batch workload ends with its job, so no idle stop is modelled.
  autoStopIdleUs: null,
  // Standard tier, $0.06 per DCU-hour. 1 vCPU = 0.6 DCU; memory costs 0.1 DCU per GB up to
  // 8 GB per vCPU and 0.2 DCU per GB above that.
  // Source: https://cloud.google.com/dataproc-serverless/pricing (us-central1, current page,
  // undated)
  pricing: {
    kind: "dcu",
    usdPerDcuHour: 0.06,
    dcuPerVcpu: 0.6,
    dcuPerGb: 0.1,
    dcuPerGbAboveThreshold: 0.2,
    memoryGbPerVcpuThreshold: 8,
  },
};

const azure: ProviderProfile = {
  id: "azure",
  name: "Azure Synapse Analytics Apache Spark pool",
  // NOTE: assumption. The region of the price below is not known.
  region: "eastus",
  // A pool instance has one head node (which runs the driver) and at least two worker nodes,
  // so at least three nodes. Small nodes have 4 vCores and 32 GB.
  // Source: https://docs.azure.cn/synapse-analytics/spark/apache-spark-pool-configurations
  // (current page, undated)
  worker: { vcpu: 4, memoryGb: 32 },
  driver: { vcpu: 4, memoryGb: 32 },
  // NOTE: assumption. Microsoft publishes no Synapse start-up time. Fabric on-demand custom
  // pools take 2-7 min, about 3 min on average (https://aka.ms/SessionStartDetails, 2024-25).
  coldStartUs: 3 * minuteUs,
  // Billing starts when the VMs start and stops when the instance terminates.
  // Source: https://learn.microsoft.com/azure/synapse-analytics/spark/apache-spark-concepts
  // (current page, undated)
  // NOTE: assumption. The billing granularity is not confirmed, so per-minute rounding is
  // assumed.
  billingGranularityUs: minuteUs,
  minimumBilledUs: minuteUs,
  // Two worker nodes beside the head node, from the three-node pool minimum above.
  minWorkers: 2,
  // NOTE: assumption. The auto-pause delay is configurable, and its default is not published.
  // 15 minutes matches the EMR Serverless auto-stop default.
  autoStopIdleUs: 15 * minuteUs,
  // NOTE: assumption. $0.143 per vCore-hour (memory optimized) is from a third-party page,
  // https://c3x.dev/resources/azure/azurerm_synapse_workspace (2026); another source quotes
  // $0.34. Check the Azure pricing page before relying on Synapse costs.
  pricing: {
    kind: "node",
    usdPerVcoreHour: 0.143,
    // Source: https://docs.azure.cn/synapse-analytics/spark/apache-spark-pool-configurations
    // (current page, undated)
    nodeSizes: [
      { name: "Small", vcore: 4, memoryGb: 32 },
      { name: "Medium", vcore: 8, memoryGb: 64 },
      { name: "Large", vcore: 16, memoryGb: 128 },
      { name: "XLarge", vcore: 32, memoryGb: 256 },
      { name: "XXLarge", vcore: 64, memoryGb: 432 },
    ],
  },
};

const profiles: Record<ProviderId, ProviderProfile> = { aws, gcp, azure };

/** Profile fields a scenario or the CLI may replace. */
export type ProviderOverrides = Partial<Omit<ProviderProfile, "id" | "name">>;

/** Returns whether `id` names a modelled provider. */
export function isProviderId(id: string): id is ProviderId {
  return (providerIds as readonly string[]).includes(id);
}

/**
 * Returns a copy of the profile of provider `id`, with `overrides` replacing whole fields.
 * Throws UserInputError for an unknown id or for an invalid duration, count or worker size in
 * `overrides`.
 */
export function getProvider(id: string, overrides: ProviderOverrides = {}): ProviderProfile {
  if (!isProviderId(id)) {
    throw new UserInputError(`unknown provider "${id}": expected one of ${providerIds.join(", ")}`);
  }

  const profile: ProviderProfile = structuredClone({ ...profiles[id], ...overrides });
  validateProfile(profile);
  return profile;
}

function validateProfile(profile: ProviderProfile): void {
  const integerFields = ["coldStartUs", "minimumBilledUs", "minWorkers"] as const;
  for (const field of integerFields) {
    requireNonNegativeInteger(profile.id, field, profile[field]);
  }

  if (profile.autoStopIdleUs !== null) {
    requireNonNegativeInteger(profile.id, "autoStopIdleUs", profile.autoStopIdleUs);
  }

  requireWorkerSize(profile.id, "worker", profile.worker);
  requireWorkerSize(profile.id, "driver", profile.driver);

  const granularityUs = profile.billingGranularityUs;
  if (!Number.isSafeInteger(granularityUs) || granularityUs < 1) {
    throw new UserInputError(
      `invalid billingGranularityUs ${granularityUs} for provider "${profile.id}": ` +
        "expected an integer of at least 1",
    );
  }
}

function requireNonNegativeInteger(providerId: string, field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new UserInputError(
      `invalid ${field} ${value} for provider "${providerId}": expected an integer of at least 0`,
    );
  }
}

function requireWorkerSize(providerId: string, field: string, size: WorkerSize): void {
  const isValid = size.vcpu > 0 && size.memoryGb > 0;
  if (!isValid || !Number.isFinite(size.vcpu) || !Number.isFinite(size.memoryGb)) {
    throw new UserInputError(
      `invalid ${field} size ${size.vcpu} vCPU / ${size.memoryGb} GB for provider ` +
        `"${providerId}": expected positive numbers`,
    );
  }
}
