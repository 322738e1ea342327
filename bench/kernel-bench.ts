/** Kernel throughput on the hold model, at several queue sizes. */
import { runHoldModel } from "./hold-model.js";

/** Prints hold-model events per second at 100 to 100,000 pending events. */
export async function runBenchmark(): Promise<void> {
  runHoldModel(1_000, 1_000_000); // warm-up so the JIT has compiled the queue
  process.stdout.write("kernel hold model (events per second, one core)\n");
  for (const pending of [100, 1_000, 10_000, 100_000]) {
    const result = runHoldModel(pending, 5_000_000);
    process.stdout.write(
      `  pending ${String(pending).padStart(7)}: ${(result.eventsPerSec / 1e6).toFixed(2)} M events/s ` +
        `(${result.events} events in ${result.wallMs.toFixed(0)} ms)\n`,
    );
  }
}
