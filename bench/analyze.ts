// npm run bench:analyze — (1) 1,000,000 bars through every default indicator and the trend finder
// in memory; (2) the analyzer's whole backfill of 1,000,000 stored bars including signal writes;
// (3) bar close → signal committed → signal_detected received, at 200 closed bars/s over 20 contracts: the
// bars written (as the ingester writes them) and the signals received by a process of their own
// (bench/analyze-bar-source.ts), the analyzer service in this process, so neither side's CPU and GC pauses
// land in the other's as they would not in production; each latency is the child's receive time minus its
// send time, one clock; the per-stage lines put the analyzer's marks beside the child's; (4) the SMC
// studies' backfill of the same 1,000,000 stored bars (read, compute, write events and zones).
// The bars are set up as an import leaves them: COPYed, then the VACUUM (ANALYZE) `npm run import` and
// `npm run download` end a bulk load with (BENCH_NO_VACUUM=1 leaves it out: the backfill then also pays
// for the fresh rows' hint bits).
import { spawnSync } from 'node:child_process';
import { createIndicator, DEFAULT_INDICATOR_NAMES, type OhlcBar, registerStrategy, TrendStartFinder } from '../core/src/index.ts';
import { parseSettings } from '../core/src/node/load-config.ts';
import { createPool, type Pool } from '../core/src/node.ts';
import { AnalyzerService } from '../analyzer/src/analyzer-service.ts';
import { ANALYZER_NODE_FLAGS } from '../analyzer/src/node-flags.ts';
import { TargetRunner } from '../analyzer/src/target-runner.ts';
import { SharedBarPages } from '../analyzer/src/shared-bar-pages.ts';
import { analysisUnits } from '../analyzer/src/targets.ts';
import { quietLogger } from '../tests/support/quiet-logger.ts';
import { syntheticBars } from '../tests/support/synthetic-bars.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { processTreeCpuMs } from './lib/process-cpu.ts';
import { figure, loadAverage, percentile, printLoad, printMachine } from './lib/report.ts';
import { copyBars } from './lib/copy-bars.ts';
import { smcBackfill } from './lib/smc-backfill.ts';
import { profiled } from './lib/cpu-profile.ts';
import { LiveSignalStages } from './lib/live-signal-stages.ts';
import { startBarSource } from './lib/bar-source-process.ts';
import { postmasterPid } from './lib/postmaster-pid.ts';
import { serverProcessCpu, StatementCpu } from './lib/statement-cpu.ts';
import { vacuumAfterBulkLoad } from '../scripts/lib/history/bulk-load-vacuum.ts';

const N = Number(process.env.BENCH_BARS ?? 1_000_000);
/** BENCH_ONLY=smc: only the SMC backfill (the bars are stored, nothing else is measured). */
const SMC_ONLY = process.env.BENCH_ONLY === 'smc';
/** BENCH_ONLY=signals: the trend finder's backfill and the bar close → signal latency, no SMC. */
const SIGNALS_ONLY = process.env.BENCH_ONLY === 'signals';
/** BENCH_NO_VACUUM=1: the bars as COPY leaves them, without the import's VACUUM (ANALYZE). */
const NO_VACUUM = process.env.BENCH_NO_VACUUM === '1';
const START = Date.parse('2020-01-01T00:00:00Z');
/** BENCH_STATEMENTS=1: after the trend finder's backfill, the database CPU of each server process and of each
 * statement it ran (bench/lib/statement-cpu.ts), and the WAL it wrote. */
const statementCpu = process.env.BENCH_STATEMENTS === '1' ? new StatementCpu() : undefined;
/** BENCH_CPU_PROF=dir: a V8 CPU profile of each backfill (only its catch-up), dir/backfill-<targets>.cpuprofile. */
const PROFILE_DIR = process.env.BENCH_CPU_PROF;
/** BENCH_LATENCY_SECONDS: how long bars are written at 200/s in the bar close → signal window (default 10). */
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 10);
/** BENCH_STAGES=0: no per-stage marks in the bar close → signal window (printed by default). */
const STAGES = process.env.BENCH_STAGES !== '0';

function inMemory(bars: readonly OhlcBar[]): { indicatorsPerSecond: number; finderPerSecond: number } {
  const indicators = DEFAULT_INDICATOR_NAMES.map((n) => createIndicator(n));
  let t = performance.now();
  for (const bar of bars) for (const ind of indicators) ind.update(bar);
  const indicatorsPerSecond = bars.length / ((performance.now() - t) / 1000);
  const finder = new TrendStartFinder();
  t = performance.now();
  for (const bar of bars) finder.update(bar);
  return { indicatorsPerSecond, finderPerSecond: bars.length / ((performance.now() - t) / 1000) };
}

const BACKFILL_TARGETS = [
  { analyzer_id: 'cus_cds_trend_finder', strategy: 'cus_cds_trend_finder', contract_id: 'BF', timeframes: ['1m'] },
  { analyzer_id: 'ema_cross_rsi', strategy: 'ema_cross_rsi', contract_id: 'BF', timeframes: ['1m'] },
];

/** The analyzer's start-up catch-up of `targets` over the stored bars, runners built as the service builds them. */
async function backfill(
  url: string,
  targets: typeof BACKFILL_TARGETS,
): Promise<{ seconds: number; signals: number; cpuSeconds: number; treeCpuSeconds: number }> {
  const settings = parseSettings({
    contracts: [{ id: 'BF', provider: 'simulated', symbol: 'BF', tick_size: 0.25, session_calendar: 'utc' }],
    ingester: { contracts: ['BF'] },
    analyzer: { targets },
  });
  const pool = createPool(url, { max: 4 });
  await pool.query('TRUNCATE detected_signals, analyzer_watermarks');
  await pool.query('CHECKPOINT');
  let signals = 0;
  const units = analysisUnits(settings);
  const pages = new SharedBarPages(pool, () => units.length);
  const runners = units.map(
    (u) =>
      new TargetRunner(
        u,
        pool,
        quietLogger('bench'),
        {
          onBars: () => undefined,
          onSignals: (_u, n) => {
            signals += n;
          },
          onRejectedBar: () => undefined,
          onFailed: () => undefined,
        },
        pages.read,
      ),
  );
  const postmaster = statementCpu ? await postmasterPid(url) : undefined;
  const wal0 = statementCpu ? await walLsn(pool) : '';
  const processes0 = postmaster === undefined ? new Map<string, number>() : serverProcessCpu(postmaster);
  statementCpu?.start();
  const cpu = process.cpuUsage();
  const tree = processTreeCpuMs(process.pid);
  const t = performance.now();
  await profiled(PROFILE_DIR, `backfill-${targets.length}`, () => Promise.all(runners.map((r) => r.catchUp())));
  const seconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  // With the embedded server, its backends are this process's descendants (0 with BENCH_DATABASE_URL's own server).
  const treeCpuSeconds = (processTreeCpuMs(process.pid) - tree) / 1000;
  const statements = statementCpu?.stop();
  if (statements) await printDatabaseSplit(pool, wal0, postmaster, processes0, statements);
  for (const r of runners) if (r.lastError) throw r.lastError;
  await pool.end();
  return { seconds, signals, cpuSeconds, treeCpuSeconds };
}

async function walLsn(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  return rows[0]?.lsn ?? '0/0';
}

/** BENCH_STATEMENTS=1's lines: WAL, then database CPU by server process, then by statement. */
async function printDatabaseSplit(
  pool: Pool,
  wal0: string,
  postmaster: number | undefined,
  processes0: Map<string, number>,
  statements: [string, { ns: number; calls: number }][],
): Promise<void> {
  const processes = postmaster === undefined ? new Map<string, number>() : serverProcessCpu(postmaster);
  const { rows } = await pool.query<{ bytes: string }>('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::text AS bytes', [wal0]);
  console.log(`  WAL written: ${(Number(rows[0]?.bytes) / 1e6).toFixed(1)} MB; database CPU by process, then by statement:`);
  for (const [name, ns] of processes) {
    const ms = (ns - (processes0.get(name) ?? 0)) / 1e6;
    if (ms >= 1) console.log(`    ${ms.toFixed(0).padStart(6)} ms  ${name}`);
  }
  for (const [sql, total] of statements) {
    if (total.ns >= 1e6) console.log(`    ${(total.ns / 1e6).toFixed(0).padStart(6)} ms  ×${total.calls}  ${sql}`);
  }
}

async function latency(url: string, ratePerSecond: number, seconds: number): Promise<number[]> {
  registerStrategy({
    id: 'bench_every_bar',
    description: 'one signal per bar',
    create: () => ({
      update: (bar: OhlcBar) => [{ type: 'bench', bar, price: bar.close, details: {} }],
    }),
  });
  const contracts = Array.from({ length: 20 }, (_, i) => `LAT${i}`);
  const settings = parseSettings({
    contracts: contracts.map((id) => ({ id, provider: 'simulated', symbol: id, tick_size: 0.25, session_calendar: 'utc' })),
    ingester: { contracts },
    analyzer: {
      metrics_port: 0,
      targets: contracts.map((c) => ({ analyzer_id: 'bench', strategy: 'bench_every_bar', contract_id: c, timeframes: ['1m'] })),
    },
  });
  const stages = STAGES ? new LiveSignalStages() : undefined;
  const service = new AnalyzerService({ settings, databaseUrl: url, logger: quietLogger('analyzer'), metricsPort: 0 });
  await service.start();
  // The bar writer and the listener in a process of their own, as the ingester and a client are.
  const source = await startBarSource({
    databaseUrl: url,
    rate: ratePerSecond,
    seconds,
    contracts,
    firstBar: Date.parse('2026-03-02T00:00:00Z'),
  });
  try {
    console.log(
      `  bar source process: bar writer + signal_detected listener; its clock − this one's ${source.clockOffsetMs.toFixed(3)} ms ` +
        `(± ${(source.clockRoundTripMs / 2).toFixed(3)}, the fastest of 20 IPC round trips)`,
    );
    stages?.install();
    const done = await source.run();
    stages?.uninstall();
    const latencies: number[] = [];
    for (const b of done.bars) {
      if (b.received !== undefined) latencies.push(b.received - b.sent);
      stages?.source(b.contract, b.time, { sent: b.sent, flushed: b.flushed, received: b.received });
    }
    console.log(`  bar source process in the window: CPU ${done.cpuMs.toFixed(0)} ms; ${done.missing} signals never arrived`);
    stages?.report();
    return latencies.sort((a, b) => a - b);
  } finally {
    source.stop();
    await service.stop();
  }
}

async function signalFigures(url: string): Promise<void> {
  const one = await backfill(url, BACKFILL_TARGETS.slice(0, 1));
  figure(
    `backfill of ${N.toLocaleString('en-US')} stored bars: trend finder`,
    one.seconds,
    's',
    `read + compute + ${one.signals.toLocaleString('en-US')} signals written; target ≤ 3 s`,
  );
  figure('  of which CPU: this process', one.cpuSeconds, 's', 'user+system; steadier than wall time on a shared machine');
  figure('  of which CPU: this process + PostgreSQL', one.treeCpuSeconds, 's', 'the embedded server is a descendant');
  const two = await backfill(url, BACKFILL_TARGETS);
  figure(
    `backfill of ${N.toLocaleString('en-US')} stored bars: + ema_cross_rsi`,
    two.seconds,
    's',
    `2 targets on one series, ${two.signals.toLocaleString('en-US')} signals written`,
  );
  figure('backfill throughput (2 targets)', (2 * N) / two.seconds, 'target-bars/s');
  const lat = await profiled(PROFILE_DIR, 'latency', () => latency(url, 200, LATENCY_SECONDS));
  figure(
    'bar close → signal_detected p50 @ 200 bars/s',
    percentile(lat, 50),
    'ms',
    `${lat.length} signals; written and received in a process apart from the analyzer`,
  );
  figure('bar close → signal_detected p99 @ 200 bars/s', percentile(lat, 99), 'ms', 'target ≤ 15 ms');
}

/** The import's last step over the COPYed bars (what a user's backfill after `npm run import` reads). */
async function importVacuum(url: string): Promise<void> {
  if (NO_VACUUM) {
    console.log('setup: BENCH_NO_VACUUM=1, the bars left as COPYed (no hint bits set, no statistics)');
    return;
  }
  const pool = createPool(url, { max: 1 });
  try {
    const vacuum = await vacuumAfterBulkLoad(pool, N);
    if (vacuum?.error !== undefined) throw new Error(`VACUUM (ANALYZE) ohlc_bars failed: ${vacuum.error}`);
    if (vacuum)
      figure(
        "setup: the import's VACUUM (ANALYZE) of the stored bars",
        vacuum.seconds,
        's',
        "part of the import's cost (bench:import), not of the backfill",
      );
  } finally {
    await pool.end();
  }
}

// The analyzer runs in this process: with npm start's Node flags for it (BENCH_ANALYZER_FLAGS=0: V8's defaults,
// for before/after pairs). Node flags are read as the process starts, so this process runs itself again with them.
const wantFlags = process.env.BENCH_ANALYZER_FLAGS === '0' ? [] : ANALYZER_NODE_FLAGS.filter((f) => !process.execArgv.includes(f));
if (wantFlags.length > 0) {
  const again = spawnSync(process.execPath, [...wantFlags, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(again.status ?? 1);
}
const db = await benchDatabase();
try {
  printMachine('bench:analyze', db.label);
  console.log(
    `analyzer Node flags (this process): ${process.execArgv.filter((f) => !f.startsWith('--import') && f !== 'tsx').join(' ') || 'none'}`,
  );
  printLoad('before');
  await (async () => {
    // the 1M generated bars go out of scope before the analyzer's own run
    const bars = syntheticBars(N, { start: START, stepMs: 60_000, seed: 5 });
    if (!SMC_ONLY) {
      const mem = inMemory(bars);
      figure(`indicators (${DEFAULT_INDICATOR_NAMES.length}) streaming`, mem.indicatorsPerSecond, 'bars/s', 'target ≥ 1,000,000 bars/s');
      figure('trend finder streaming', mem.finderPerSecond, 'bars/s');
    }
    await copyBars(db.url, 'BF', bars, { unit: 2, value: 1, label: '1m' });
  })();
  await importVacuum(db.url);
  if (!SMC_ONLY) await signalFigures(db.url);
  for (const swingLength of SIGNALS_ONLY ? [] : [5, 50]) {
    console.log(`load average before SMC swing_length ${swingLength}: ${loadAverage()}`);
    const smc = await smcBackfill(db.url, 'BF', START, swingLength);
    figure(
      `SMC backfill of ${N.toLocaleString('en-US')} stored bars, swing_length ${swingLength}`,
      smc.backfillSeconds,
      's',
      `read + all five studies + ${smc.events.toLocaleString('en-US')} events, ${smc.zones.toLocaleString('en-US')} zones COPYed; target ≤ 5 s`,
    );
    figure(`  of which CPU (analyzer + embedded PostgreSQL)`, smc.backfillCpuSeconds, 's', 'user+system of this bench and its PostgreSQL');
    figure(
      `SMC restart over the same (recompute + reconcile)`,
      smc.restartSeconds,
      's',
      'every stored row read and compared; none rewritten',
    );
    figure(`  of which CPU (analyzer + embedded PostgreSQL)`, smc.restartCpuSeconds, 's');
  }
  printLoad('after');
} catch (err) {
  console.error('bench failed:', err);
  process.exitCode = 1;
} finally {
  await db.stop();
}
