// Node.js flags the ingester runs with (supervisor, run-services.sh, docker-compose.yml, the ingester's
// `npm start` and bench:ingest use them): a capped old generation makes V8 collect early instead of growing
// to hundreds of MB of garbage; the live state (forming bars, a bounded tick buffer) needs a small fraction
// of it. Under that cap V8 sets the next full GC's limit only ~1.1-1.3× the ~21 MB that survives one, less
// room than the young generation's 16 MB, so incremental marking restarted as soon as a mark-compact ended
// (one every ~170 ms under a flood, ~1 µs of GC helper CPU a tick at 100 contracts); 2× the live size keeps
// the cap and leaves the young generation room (docs/BENCHMARKS.md, ingest7 session).
// --always-sparkplug compiles each function to baseline code on its first call instead of interpreting it
// until it is warm: a fresh ingester's first 200,000 ticks cost ~10 % less CPU at 100 contracts (3.08 → 2.77 µs
// a tick, lower in 16 of 17 interleaved rounds), ~0.1 µs less at 10 (14 of 17), nothing resolved at 1; ~10 MB more
// peak RSS; no start-up CPU difference resolved (docs/BENCHMARKS.md, ingest8 session).
// --single-threaded-gc keeps V8's collections on the ingester's own thread. Its helper threads (parallel
// scavenges, concurrent marking and sweeping) took ~0.25 µs of CPU a tick in a flood, and on a 2-core machine
// they run when PostgreSQL's COPY backend could: that backend waited on the run queue for 14 % of its COPYs.
// The main thread is idle half the time there and the heap is small, so the work costs it little:
// bench:ingest warm 80 / 81 / 80 and 77 / 82 / 82 % of the COPY floor at 1 / 10 / 100 contracts
// against 70 / 82 / 81 and 77 / 76 / 78 % without it (runs interleaved), with paced p99 unchanged
// (docs/BENCHMARKS.md, ingest10 session).
// scripts/service-node-flags.test.ts checks the places that spell them out.
export const INGESTER_NODE_FLAGS: readonly string[] = [
  '--max-old-space-size=160',
  '--heap-growing-percent=100',
  '--always-sparkplug',
  '--single-threaded-gc',
];
