// npm run bench:trade (second part) — the trading layer with its database: a backtest end to end (read
// 1,000,000 stored 1m bars, replay their stored signals, simulate, write the run: target ≤ 3 s) and a
// sweep of 100 parameter combinations over 100,000 bars on worker threads (target ≤ 10 s on 2 cores).
// BENCH_BARS / BENCH_SWEEP_BARS override the sizes; BENCH_DATABASE_URL an external server; BENCH_SWEEP=0,
// BENCH_E2E_RUNS, BENCH_CPU_PROF, BENCH_HEAP_PROF, BENCH_STATEMENTS, BENCH_VACUUM and BENCH_PREWARM (see
// below) for working on the end-to-end figure.
// Beside each wall time: the CPU time of this process (all its threads) and of the database server (when
// it runs on this machine), which depend far less than wall time on what else the machine is running; for
// the end-to-end backtest also when its bars were read and the process's CPU before and after that point
// (the read, with the stored signals' beside it, against the simulation and the writes).
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { loadConfig } from '../core/src/node/load-config.ts';
import { createPool } from '../core/src/node/db-pool.ts';
import { CME_CALENDAR, SessionCalendar } from '../core/src/session-calendar.ts';
import { parseStrategyRunConfig, type StrategyRunConfig } from '../core/src/trading/index.ts';
import { syntheticBars } from '../tests/support/synthetic-bars.ts';
import { executeBacktest } from '../trader/src/backtest-run.ts';
import { insertRun } from '../trader/src/run-store.ts';
import { runSweep } from '../trader/src/sweep-runner.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { profiled } from './lib/cpu-profile.ts';
import { heapProfiled } from './lib/heap-profile.ts';
import { copyBars } from './lib/copy-bars.ts';
import { serverCpuMs } from './lib/process-cpu.ts';
import { serverProcessCpu, StatementCpu } from './lib/statement-cpu.ts';
import { figure, loadAverage, printLoad, printMachine } from './lib/report.ts';

const N = Number(process.env.BENCH_BARS ?? 1_000_000);
const SWEEP_N = Number(process.env.BENCH_SWEEP_BARS ?? 100_000);
/** BENCH_SWEEP=0 skips the sweep; BENCH_E2E_RUNS repeats the end-to-end backtest (a new run each time). */
const SWEEP = process.env.BENCH_SWEEP !== '0';
const E2E_RUNS = Number(process.env.BENCH_E2E_RUNS ?? 1);
/** BENCH_CPU_PROF=dir writes a V8 profile of each end-to-end backtest (only its run) there. */
const PROFILE_DIR = process.env.BENCH_CPU_PROF;
/** BENCH_HEAP_PROF=dir writes a sampling heap profile of each end-to-end backtest there (its allocations). */
const HEAP_PROFILE_DIR = process.env.BENCH_HEAP_PROF;
/** BENCH_STATEMENTS=1 prints, after each end-to-end backtest, the database CPU of each statement it ran
 * (its backend's), of each server process, and the WAL it wrote. */
const statementCpu = process.env.BENCH_STATEMENTS === '1' ? new StatementCpu() : undefined;
const SIGNAL_EVERY = 20;
const START = Date.parse('2020-01-01T00:00:00Z');
const MINUTE = 60_000;
const ONE_MINUTE = { unit: 2, value: 1, label: '1m' };

const db = await benchDatabase();
printMachine('trading with its database: backtest end to end, sweep on worker threads', db.label);
printLoad('before');
const pool = createPool(db.url, { max: 4 });
const { settings } = loadConfig();

/** The server's postmaster (the parent of our backend), when it runs here: its process tree's CPU,
 * with its exited backends', is the database's work. */
async function serverPid(): Promise<number | undefined> {
  const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  try {
    const stat = readFileSync(`/proc/${rows[0]?.pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}
const postmaster = await serverPid();

/** This process's minor page faults so far (/proc/self/stat's minflt; 0 elsewhere): first touches of
 * fresh memory, what a first run pays for buffers a later one reuses. */
function minorFaults(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]);
  } catch {
    return 0;
  }
}

/** Autovacuum and autoanalyze passes so far on the tables a backtest reads and writes: one running during
 * a measured run is database CPU that is not the backtest's. */
async function autovacuums(): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ relname: string; n: string }>(
    `SELECT relname, (autovacuum_count + autoanalyze_count)::text AS n FROM pg_stat_user_tables
      WHERE relname IN ('ohlc_bars', 'detected_signals', 'equity_chunks', 'order_event_chunks', 'orders', 'order_chunks', 'fills', 'trades')`,
  );
  return new Map(rows.map((r) => [r.relname, Number(r.n)]));
}

/** Runs `work`, returning its wall seconds and a note with the CPU seconds it used here and in the server. */
async function measured<T>(work: (split: () => void) => Promise<T>): Promise<{ value: T; seconds: number; cpu: string }> {
  const load = loadAverage().split(' ')[0];
  const vacuums0 = await autovacuums();
  const server0 = postmaster === undefined ? 0 : serverCpuMs(postmaster);
  const faults0 = minorFaults();
  const own0 = process.cpuUsage();
  const t = performance.now();
  let splitAt: { seconds: number; cpu: NodeJS.CpuUsage } | undefined;
  const value = await work(() => (splitAt ??= { seconds: (performance.now() - t) / 1000, cpu: process.cpuUsage(own0) }));
  const seconds = (performance.now() - t) / 1000;
  const own = process.cpuUsage(own0);
  const faults = minorFaults() - faults0;
  const server = postmaster === undefined ? undefined : (serverCpuMs(postmaster) - server0) / 1000;
  const vacuumed = [...(await autovacuums())].filter(([table, n]) => n !== vacuums0.get(table)).map(([table]) => table);
  const cpu =
    `CPU: bench process ${((own.user + own.system) / 1e6).toFixed(2)} s (${faults.toLocaleString('en-US')} minor page faults)` +
    (server === undefined ? '' : `, database ${server.toFixed(2)} s`) +
    (vacuumed.length > 0 ? ` (autovacuum/analyze ran on ${vacuumed.join(', ')})` : '') +
    (splitAt === undefined
      ? ''
      : `; bars read at ${splitAt.seconds.toFixed(2)} s, process CPU ${((splitAt.cpu.user + splitAt.cpu.system) / 1e6).toFixed(2)} s before, ` +
        `${((own.user + own.system - splitAt.cpu.user - splitAt.cpu.system) / 1e6).toFixed(2)} s after`) +
    `; load average ${load} before`;
  return { value, seconds, cpu };
}

const runConfig = (contract: string, analyzer: string, strategy: string | undefined, to: number) =>
  parseStrategyRunConfig({
    id: 'bench',
    kind: 'backtest',
    from: new Date(START).toISOString(),
    to: new Date(to).toISOString(),
    contract,
    timeframe: '1m',
    signals: { analyzer_id: analyzer, ...(strategy ? { strategy } : {}), map: { buy: 'entry_long', sell: 'entry_short' } },
    instrument: { kind: 'future', tick_size: 0.25, tick_value: 1.25, initial_margin: 1500 },
    sizing: { type: 'fixed', qty: 1 },
    exits: { stop_loss: { ticks: 8 }, take_profit: [{ ticks: 16 }], on_opposite_signal: 'reverse' },
    fees: { per_contract: 0.62 },
    slippage: { ticks: 1 },
    starting_capital: 100_000,
  }) as Extract<StrategyRunConfig, { kind: 'backtest' }>;

// Sweep: 10 × 10 ema_cross parameters over SWEEP_N bars, signals computed per combination. First: its
// parent thread computes runs too, and after the end-to-end run its heap would hold a million bars' worth
// of old objects to collect (17 s of process CPU instead of 12.7 s), which a CLI sweep's does not.
async function sweep(): Promise<void> {
  const sweepBars = syntheticBars(SWEEP_N, { start: START, stepMs: MINUTE, seed: 11 });
  await copyBars(db.url, 'BENCH.SWEEP', sweepBars, ONE_MINUTE);
  const sweepConfig = runConfig('BENCH.SWEEP', 'bench_sweep', 'ema_cross', START + SWEEP_N * MINUTE);
  const grid = { fast: [5, 6, 7, 8, 9, 10, 11, 12, 13, 14], slow: [30, 35, 40, 45, 50, 55, 60, 65, 70, 75] };
  const swept = await measured(() => runSweep(pool, { settings, strategyId: null, config: sweepConfig, grid }));
  figure(
    `sweep, 100 combinations × ${SWEEP_N.toLocaleString('en-US')} bars`,
    swept.seconds.toFixed(2),
    's',
    `target ≤ 10 s on 2 cores; ${swept.value.results.filter((r) => r.report).length} runs completed`,
  );
  console.log(`  ${swept.cpu} (the process's CPU includes its worker threads)`);
}
if (SWEEP) await sweep();

// Backtest end to end over stored bars and stored signals (a signal every SIGNAL_EVERY bars).
async function backtestEndToEnd(): Promise<void> {
  await storeEndToEndInputs();
  const e2eConfig = runConfig('BENCH.E2E', 'bench', undefined, START + N * MINUTE);
  const sessions = new SessionCalendar(CME_CALENDAR);
  for (let run = 0; run < E2E_RUNS; run++) await backtestOnce(e2eConfig, sessions);
}

/** The bars and signals, stored; their million objects are garbage before the clock starts (the CLI's
 * process holds none: marking them at every major collection cost the backtest ~10% of its CPU). */
async function storeEndToEndInputs(): Promise<void> {
  const bars = syntheticBars(N, { start: START, stepMs: MINUTE, seed: 7 });
  await copyBars(db.url, 'BENCH.E2E', bars, ONE_MINUTE);
  const signalBars = bars.filter((_, i) => i % SIGNAL_EVERY === SIGNAL_EVERY - 1);
  await pool.query(
    `INSERT INTO detected_signals (analyzer_id, "timestamp", contract_id, timeframe, signal_type, signal_price, details)
     SELECT 'bench', to_timestamp(t / 1000.0), 'BENCH.E2E', '1m', ty, 0, '{}' FROM unnest($1::float8[], $2::text[]) AS s(t, ty)`,
    [signalBars.map((b) => b.time), signalBars.map((_, i) => (i % 2 === 0 ? 'buy' : 'sell'))],
  );
  await pool.query(
    `INSERT INTO analyzer_watermarks (analyzer_id, contract_id, timeframe, last_processed_timestamp) VALUES ('bench', 'BENCH.E2E', '1m', to_timestamp($1 / 1000.0))`,
    [bars[bars.length - 1]?.time],
  );
  if (process.env.BENCH_VACUUM === '1') await pool.query('VACUUM (ANALYZE) ohlc_bars, detected_signals');
  if (process.env.BENCH_PREWARM === '1') await prewarmBars();
}

/** BENCH_PREWARM=1: the stored bars read once into shared buffers before the clock, on a connection of
 * its own (closed after): the bench's import writes them through COPY's ring, so a first backtest otherwise
 * reads them from the OS cache, which a server that has served a backtest of them does not. */
async function prewarmBars(): Promise<void> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(`SELECT count(*) FROM (SELECT "timestamp", open, high, low, close, volume FROM ohlc_bars
      WHERE contract_id = 'BENCH.E2E' AND timeframe_unit = ${ONE_MINUTE.unit} AND timeframe_value = ${ONE_MINUTE.value}
      ORDER BY "timestamp") s`);
  } finally {
    await client.end();
  }
}

async function backtestOnce(e2eConfig: ReturnType<typeof runConfig>, sessions: SessionCalendar): Promise<void> {
  const runId = await insertRun(pool, { strategyId: null, config: e2eConfig, status: 'running' });
  // The profilers start and stop outside the measured stretch: writing out a first run's CPU profile
  // (Profiler.stop) took 0.2-0.8 s of its CPU and wall time.
  const wal0 = statementCpu ? await walLsn() : '';
  const processes0 = statementCpu && postmaster !== undefined ? serverProcessCpu(postmaster) : new Map<string, number>();
  statementCpu?.start();
  const e2e = await profiled(PROFILE_DIR, `backtest-${runId}`, () =>
    heapProfiled(HEAP_PROFILE_DIR, `backtest-${runId}`, () =>
      measured((split) => executeBacktest(pool, settings, { runId, config: e2eConfig, sessions, onBarsRead: split })),
    ),
  );
  const statements = statementCpu?.stop();
  const result = e2e.value;
  figure(
    `backtest end to end, ${N.toLocaleString('en-US')} stored 1m bars`,
    e2e.seconds.toFixed(2),
    's',
    `target ≤ 3 s; ${result.signals.toLocaleString('en-US')} stored signals, ${result.report.trades.toLocaleString('en-US')} round trips, ${N.toLocaleString('en-US')} equity points written`,
  );
  console.log(`  ${e2e.cpu}`);
  if (statements) {
    const { rows } = await pool.query<{ bytes: string }>('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::text AS bytes', [wal0]);
    console.log(`  WAL written: ${(Number(rows[0]?.bytes) / 1e6).toFixed(1)} MB; database CPU by process, then by statement:`);
    const processes = postmaster === undefined ? new Map<string, number>() : serverProcessCpu(postmaster);
    for (const [name, ns] of processes) {
      const ms = (ns - (processes0.get(name) ?? 0)) / 1e6;
      if (ms >= 1) console.log(`    ${ms.toFixed(0).padStart(6)} ms  ${name}`);
    }
    for (const [sql, t] of statements) {
      if (t.ns >= 1e6) console.log(`    ${(t.ns / 1e6).toFixed(0).padStart(6)} ms  ×${t.calls}  ${sql}`);
    }
  }
}

async function walLsn(): Promise<string> {
  const { rows } = await pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  return rows[0]?.lsn ?? '0/0';
}
await backtestEndToEnd();

printLoad('after');
await pool.end();
await db.stop();
process.exit(0);
