// npm run bench:ingest — the ingester's path (trades → bars in every configured timeframe → ticks
// COPYed, bars upserted, NOTIFYs, one transaction per flush) on market-spaced trades, with
//   - the pipeline in a process of its own, fed by a load generator in another (bench/ingest-*.ts);
//   - its physical floor: the same ticks COPYed into `ticks` from one connection in the binary format
//     the ingester sends (`ingest / COPY floor`), and as text (the floor of sessions up to 7);
//   - the per-tick design it replaced (one transaction per trade), synchronous_commit on and off;
//   - tick → NOTIFY received latency at a paced rate, and NOTIFYs per 1,000 ticks, flooding and paced;
//   - cost growth at 1, 10 and 100 contracts.
// Throughput is measured twice per contract count, as a JIT benchmark is: warm (the headline `ingest / COPY
// floor: NN%`) — the pipeline process first takes --warmup-ticks ticks of the same contracts from the market
// time just before the measured ones, all stored, then the window runs over the measured ticks (their frames
// made before it, as the floor's input is), and the floor COPYs the same warm-up ticks first, unmeasured, so
// both write into a table of the same size (bench/ingest-warmup.ts); and cold (`…, cold`, and every line
// without "warm" in its name, as before ingest8) — a fresh process's first ticks into an empty table, which
// holds V8's warm-up (code run unoptimized, compiled on its helper threads) that a long-running ingester pays once.
// Flags: --rounds R (warm rounds per contract count, default 3: the pipeline and its floor back to back, the order
// alternating; the median round's figures are printed, every round's share beside them), --ticks N (per contract count, default 1,000,000: a 2–4 s window; in 0.5 s ones of 200,000 the pipeline's ramp
// from an idle buffer weighed, and the figure scattered ±8 points run to run on this VM), --warmup-ticks W (default 200,000: where the warm
// window's CPU per tick stopped falling, docs/BENCHMARKS.md "ingest8 session"; 0: the cold run alone), --contracts 1,10,100, --baseline-ticks N
// (default 2,000; 0 skips the per-tick design), --latency-seconds S (per contract count, default 10; 0
// skips the paced runs: the flood's figures alone, for A/B pairs), --latency-warmup-seconds W (default 2: the
// paced run's first W seconds are sent and stored but not measured, as a long-running ingester is past its
// start; their p99 is printed apart, "cold"), --rate R (default 2,000 ticks/s), --gap-ms G (mean
// gap between two trades of one contract in market time, default 200), --cpu-prof-dir D (write a V8
// CPU profile of each pipeline process to D, for `node --cpu-prof` analysis: a cold run's whole process, a warm
// run's measured window alone, window-*.cpuprofile), --heap-prof-dir D (a
// sampling heap profile of each pipeline process's allocations that survived a scavenge, to D), --node-flags "…" (more
// Node flags for the pipeline process, after the ingester's own), --wire-pairs N (with a venue: N pairs of a
// simulated run and a wire run per transport, per contract count, the order reversing round by round, default 7:
// bench/ingest-wire-pairs.ts), --wire-transports pipe,websocket (default both: the venue's frames down the simulated
// side's pipe, the parser alone and the budget's figure; and over a WebSocket, parser + transport),
// --parse-in-worker (with a venue: the WebSocket and the parser on a worker thread, batches handed over),
// --fence-pairs N (N pairs of flood runs without and with the lease fence per contract count: bench/ingest-fence-pairs.ts),
// --latency-trace D (each paced run's flushes, GC pauses and tick latencies to D, and where its slowest
// ticks waited: bench/ingest-latency-trace.ts), --fsync-probe-seconds S (default 30, 0 skips; after the paced runs, on the
// embedded server's file system: the disk's own write + fdatasync, which every commit waits on; bench/lib/fsync-probe.ts).
// BENCH_PROVIDER=simulated|alpaca|alpaca-single|binance|coinbase (default simulated): with a venue, every
// throughput run is repeated with the load generator serving that venue's JSON frames down its pipe and over a
// WebSocket (bench/ingest-wire/) and the pipeline process parsing them with the provider's real parser. One pair of
// runs swings by more than the budget on a loaded machine: the medians of the pairs, their spread, and the
// pipeline process's CPU per tick (all threads, and its main thread alone) print for both.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { calendarFor, parseTimeframe } from '../core/src/index.ts';
import { loadConfig } from '../core/src/node/load-config.ts';
import { perTickDesign } from './ingest-baseline.ts';
import { copyFloor } from './ingest-copy-floor.ts';
import {
  BASELINE_TICKS,
  BENCH_PROVIDER,
  CONTRACT_COUNTS,
  flags,
  FSYNC_PROBE_SECONDS,
  GAP_MS,
  LATENCY_SECONDS,
  LATENCY_WARMUP_SECONDS,
  RATE,
  TICKS,
  WARMUP_TICKS,
  WIRE_PAIRS,
  WIRE_TRANSPORT_LIST,
} from './ingest-options.ts';
import { fencePairs } from './ingest-fence-pairs.ts';
import { wirePairs } from './ingest-wire-pairs.ts';
import type { LoadGeneratorOptions } from './ingest-load-generator.ts';
import { explainTail } from './ingest-latency-trace.ts';
import { TickNotifyListener } from './ingest-notify-listener.ts';
import type { IngestRunResult } from './ingest-pipeline-process.ts';
import { resetTables, runPipeline } from './ingest-pipeline-run.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { takeTicks } from './lib/market-ticks.ts';
import { databaseCpu, processTreeCpuMs } from './lib/process-cpu.ts';
import { figure, percentile, printLoad, printMachine } from './lib/report.ts';
import { dbPerTick, perTick, printThroughput, warmShare } from './ingest-throughput-report.ts';
import { warmRounds } from './ingest-warm-rounds.ts';
import { postmasterPid } from './lib/postmaster-pid.ts';
import { printFsyncProbe } from './lib/fsync-probe.ts';

const START = Date.parse('2026-01-05T14:30:00Z');
const BASELINE_CONTRACTS = 10;

const { settings } = loadConfig();
const timeframes = settings.ingester.timeframes.map((t) => parseTimeframe(t));
const firstContract = settings.contracts.find((c) => c.id === settings.ingester.contracts[0]);
if (!firstContract) throw new Error('config: ingester.contracts[0] is not among contracts');
const calendar = calendarFor(settings, firstContract);

interface Growth {
  contracts: number;
  /** PostgreSQL's CPU (every backend and helper) per tick of the ingest run, and of the binary floor's. */
  dbMicrosPerTick: number | 'failed' | undefined;
  floorDbMicrosPerTick: number | 'failed' | undefined;
  ticksPerSecond: number;
  nodeMicrosPerTick: number;
  tickNotifiesPer1k: number;
  floorShare: number;
  /** The same figures after the warm-up (undefined with --warmup-ticks 0). */
  warm?: { nodeMicrosPerTick: number; dbMicrosPerTick: number | 'failed' | undefined; floorShare: number };
}

async function throughputAt(url: string, contracts: number): Promise<Growth> {
  await resetTables(url);
  const listener = await TickNotifyListener.listen(url);
  const listenerPid = await listener.backendPid();
  const listenerCpu0 = processTreeCpuMs(listenerPid);
  const [run, dbMicrosPerTick] = await databaseCpu(
    postmaster,
    (r: IngestRunResult) => r.ticks,
    async () => {
      const r = await runPipeline(url, { mode: 'flood', contracts, ticks: TICKS, meanGapMs: GAP_MS }, { postmaster });
      await listener.received(r.ticks);
      return r;
    },
  );
  const listenerMicrosPerTick = ((processTreeCpuMs(listenerPid) - listenerCpu0) * 1000) / run.ticks;
  await listener.close();
  const floorTicks = takeTicks({ contracts, meanGapMs: GAP_MS, start: START }, TICKS);
  await resetTables(url);
  const [floor, floorDbMicrosPerTick] = await databaseCpu(
    postmaster,
    () => floorTicks.length,
    () => copyFloor(url, floorTicks, 'binary'),
  );
  await resetTables(url);
  const textFloor = await copyFloor(url, floorTicks, 'text');
  const warm = WARMUP_TICKS > 0 ? await warmRounds({ url, contracts, floorTicks, start: START, postmaster }) : undefined;
  const rate = run.ticks / run.seconds;
  const cold = {
    run,
    floor,
    textFloor,
    dbMicrosPerTick,
    floorDbMicrosPerTick,
    listenerMicrosPerTick,
    tickNotifies: listener.notifies,
    ticksDelivered: listener.ticks,
  };
  printThroughput(contracts, { ticks: TICKS, warmupTicks: WARMUP_TICKS, gapMs: GAP_MS }, cold, warm);
  const warmDb = warm ? dbPerTick(warm.run.dbCpuMs, warm.run.ticks) : undefined;
  if (BENCH_PROVIDER !== 'simulated')
    await wirePairs({
      provider: BENCH_PROVIDER,
      pairs: WIRE_PAIRS,
      parseInWorker: flags['parse-in-worker'] ?? false,
      transports: WIRE_TRANSPORT_LIST,
      flood: { mode: 'flood', contracts, ticks: TICKS, meanGapMs: GAP_MS },
      first: run,
      reset: () => resetTables(url),
      run: (gen) => runPipeline(url, gen, { postmaster }),
    });
  const pairs = Math.round(Number(flags['fence-pairs']));
  if (pairs > 0) {
    // A flood's flushes are few and large; paced live ticks make many small ones (the one-statement path).
    const flood: LoadGeneratorOptions = { mode: 'flood', contracts, ticks: TICKS, meanGapMs: GAP_MS };
    const paced: LoadGeneratorOptions = { mode: 'paced', contracts, rate: RATE, seconds: LATENCY_SECONDS, meanGapMs: GAP_MS };
    // --latency-seconds 0 asks for no paced runs: the flood's pairs alone.
    for (const gen of LATENCY_SECONDS > 0 ? [flood, paced] : [flood]) {
      await fencePairs(
        url,
        gen,
        pairs,
        () => resetTables(url),
        (g, fence) => runPipeline(url, g, { postmaster, fence }),
      );
    }
  }
  return {
    contracts,
    dbMicrosPerTick,
    floorDbMicrosPerTick,
    ticksPerSecond: rate,
    nodeMicrosPerTick: (run.nodeCpuMs * 1000) / run.ticks,
    tickNotifiesPer1k: (1000 * listener.notifies) / run.ticks,
    floorShare: rate / floor,
    ...(warm
      ? {
          warm: {
            nodeMicrosPerTick: perTick(warm.run.nodeCpuMs, warm.run.ticks),
            dbMicrosPerTick: warmDb,
            floorShare: warmShare(warm) / 100,
          },
        }
      : {}),
  };
}

function growthLine(name: string, rows: readonly Growth[], value: (g: Growth) => number): void {
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (!first || !last || first === last) return;
  const factor = value(last) / value(first);
  if (!Number.isFinite(factor)) {
    console.log(`${name} ${first.contracts} → ${last.contracts} contracts: not measured (a figure is missing)`);
    return;
  }
  const span = last.contracts / first.contracts;
  // Linear in contracts would multiply a per-tick cost by the contract factor.
  const verdict = factor >= span / 2 ? 'linear in contracts' : factor > 1.5 ? 'sub-linear in contracts' : 'flat in contracts';
  console.log(`${name} ${first.contracts} → ${last.contracts} contracts: ×${factor.toFixed(2)} (linear would be ×${span}): ${verdict}`);
}

async function baseline(url: string, ours: number): Promise<void> {
  const trades = takeTicks({ contracts: BASELINE_CONTRACTS, meanGapMs: GAP_MS, start: START }, BASELINE_TICKS);
  console.log(
    `\n## baseline: one transaction per trade (tick + ${timeframes.length} bar upserts + NOTIFY), ${BASELINE_CONTRACTS} contracts`,
  );
  for (const sync of [true, false]) {
    await resetTables(url);
    const rate = await perTickDesign(url, trades, timeframes, calendar, sync);
    figure(
      `per-tick design, synchronous_commit ${sync ? 'on' : 'off'}`,
      rate,
      'ticks/s',
      `${BASELINE_TICKS.toLocaleString('en-US')} ticks`,
    );
    figure(`  ingest over it (${BASELINE_CONTRACTS} contracts)`, ours / rate, '×');
  }
}

/** Tick → NOTIFY received at a paced rate over `contracts` contracts; the tick NOTIFYs per 1,000 ticks. With
 * `wire`, the venue's frames over a WebSocket, read as the providers read them (their times as the venue
 * writes them: Coinbase's to the millisecond, so up to 1 ms is added to a tick's figure). */
async function latency(url: string, contracts: number, wire?: string): Promise<number> {
  await resetTables(url);
  const listener = await TickNotifyListener.listen(url, true);
  const traceDir = flags['latency-trace'];
  // The pipeline process writes its flush trace there: the directory is made if it is missing.
  if (traceDir) mkdirSync(traceDir, { recursive: true });
  const flushTrace = traceDir ? join(traceDir, `flushes-${contracts}${wire ? `-${wire}` : ''}.json`) : undefined;
  const gen: LoadGeneratorOptions = {
    mode: 'paced',
    contracts,
    rate: RATE,
    seconds: LATENCY_WARMUP_SECONDS + LATENCY_SECONDS,
    meanGapMs: GAP_MS,
    ...(wire ? { wire, transport: 'websocket' as const } : {}),
  };
  const run = await runPipeline(url, gen, { postmaster, ...(flushTrace ? { flushTrace } : {}) });
  await listener.received(run.ticks);
  await listener.close();
  // The first W seconds' ticks (by their stamps) are the warm-up: measured apart.
  const measuredFrom = Math.min(...listener.sentAt) + LATENCY_WARMUP_SECONDS * 1000;
  const warm = { sentAt: [] as number[], latencies: [] as number[] };
  const cold: number[] = [];
  listener.sentAt.forEach((t, i) => {
    const ms = listener.latencies[i] as number;
    if (t < measuredFrom) cold.push(ms);
    else {
      warm.sentAt.push(t);
      warm.latencies.push(ms);
    }
  });
  if (traceDir && flushTrace) explainTail(traceDir, contracts, warm.sentAt, warm.latencies, flushTrace);
  const lat = warm.latencies.sort((a, b) => a - b);
  const at = `@ ${RATE.toLocaleString('en-US')} ticks/s`;
  console.log(
    `\n## live: ${RATE.toLocaleString('en-US')} ticks/s over ${contracts} contract${contracts > 1 ? 's' : ''}, paced by the load generator's process${wire ? `, ${wire} frames over a WebSocket` : ''}; measured after ${LATENCY_WARMUP_SECONDS} s of the same`,
  );
  figure(`tick → NOTIFY p50 ${at}`, percentile(lat, 50), 'ms', `${lat.length.toLocaleString('en-US')} ticks`);
  figure(`tick → NOTIFY p95 ${at}`, percentile(lat, 95), 'ms');
  figure(`tick → NOTIFY p99 ${at}`, percentile(lat, 99), 'ms', 'target ≤ 10 ms');
  if (cold.length > 0)
    figure(
      `tick → NOTIFY p99, the first ${LATENCY_WARMUP_SECONDS} s (cold)`,
      percentile(
        cold.sort((a, b) => a - b),
        99,
      ),
      'ms',
      `${cold.length.toLocaleString('en-US')} ticks: a fresh process, its first bars inserted`,
    );
  const perThousand = (1000 * listener.notifies) / run.ticks;
  figure('tick_data_channel NOTIFYs per 1,000 ticks', perThousand, '', 'live');
  return perThousand;
}

const db = await benchDatabase();
const postmaster = await postmasterPid(db.url);
try {
  printMachine('bench:ingest', db.label);
  printLoad('before');
  console.log(`BENCH_PROVIDER=${BENCH_PROVIDER}`);
  console.log(
    `timeframes: ${settings.ingester.timeframes.join(', ')} (config/settings.yaml); calendar ${calendar.name}; mean trade gap ${GAP_MS} ms per contract`,
  );
  const rows: Growth[] = [];
  for (const n of CONTRACT_COUNTS) rows.push(await throughputAt(db.url, n));
  const ten = rows.find((r) => r.contracts === BASELINE_CONTRACTS) ?? rows[0];
  if (ten && BASELINE_TICKS > 0) await baseline(db.url, ten.ticksPerSecond);
  const live: Growth[] = [];
  if (LATENCY_SECONDS > 0)
    for (const row of rows) {
      live.push({ ...row, tickNotifiesPer1k: await latency(db.url, row.contracts) });
      if (BENCH_PROVIDER !== 'simulated') await latency(db.url, row.contracts, BENCH_PROVIDER);
    }
  if (LATENCY_SECONDS > 0 && FSYNC_PROBE_SECONDS > 0 && db.dir) printFsyncProbe(db.dir, FSYNC_PROBE_SECONDS);
  if (rows.length > 1) {
    console.log('\n## cost growth');
    growthLine('Node CPU per tick', rows, (g) => g.nodeMicrosPerTick);
    if (WARMUP_TICKS > 0) growthLine('Node CPU per tick, warm', rows, (g) => g.warm?.nodeMicrosPerTick ?? NaN);
    if (postmaster !== undefined)
      growthLine('PostgreSQL CPU per tick', rows, (g) => (typeof g.dbMicrosPerTick === 'number' ? g.dbMicrosPerTick : NaN));
    if (postmaster !== undefined && WARMUP_TICKS > 0)
      growthLine('PostgreSQL CPU per tick, warm', rows, (g) =>
        typeof g.warm?.dbMicrosPerTick === 'number' ? g.warm.dbMicrosPerTick : NaN,
      );
    growthLine('tick NOTIFYs per tick (flood)', rows, (g) => g.tickNotifiesPer1k);
    growthLine('tick NOTIFYs per tick (live, paced)', live, (g) => g.tickNotifiesPer1k);
    growthLine('wall time per tick', rows, (g) => 1 / g.ticksPerSecond);
  }
  printLoad('after');
} catch (err) {
  console.error('bench failed:', err);
  process.exitCode = 1;
} finally {
  await db.stop();
}
