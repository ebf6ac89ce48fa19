// One clock for a bench's processes, for latencies that one process stamps and another reads (bench:ingest's
// tick → NOTIFY: the load generator stamps, the bench's listener reads). Each process's performance.timeOrigin
// is its own reading of the wall clock at its start, and two of them disagreed by ~3 ms (a p50 of −0.65 ms
// was printed). CLOCK_MONOTONIC (process.hrtime) is the machine's, the same in every process: epoch ms here
// are monotonic ms plus one base, read by the first process and handed to its children in the environment.
const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;

const inherited = Number(process.env.BENCH_CLOCK_BASE);
const base = Number.isFinite(inherited) ? inherited : Date.now() - monotonicMs();
// Children spawned from here on (with this process's environment) read the same base.
process.env.BENCH_CLOCK_BASE = String(base);

/** Epoch milliseconds (sub-millisecond), on the same clock in every process of the bench. */
export function sharedEpochNow(): number {
  return base + monotonicMs();
}
