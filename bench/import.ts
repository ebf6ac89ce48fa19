// npm run bench:import — bar CSV import into ohlc_bars through importBarFile, the command's own path
// (parse a piece, write it while the next is parsed; bars no stored bar can collide with are COPYed
// straight into ohlc_bars, the others compared with what is stored and upserted; one bars_imported
// per series), on 1,000,000 one-minute bars: into an empty table, the following 1,000,000 into a table
// holding those, re-importing the same file (all unchanged), and with every volume changed (all
// updated). Compared against the ingester's vendor-bar path (writeHistoryBars: unnest batches of 5,000,
// an ohlc_update NOTIFY per row). Wall-clock figures depend on what else the machine runs, so the CPU
// time of Node and of the database backend are printed beside them (the backend's read from /proc
// when the server is local); parsing and writing overlap, so their sum exceeds the wall time.
// Runs on an embedded (plain) PostgreSQL, then on BENCH_DATABASE_URL's server when set (e.g. a
// TimescaleDB, whose hypertables write differently); every figure is tagged with its server kind.
// `npm run import` ends a load of ≥ VACUUM_AFTER_ROWS written rows with VACUUM (ANALYZE) ohlc_bars (hint
// bits, visibility map, statistics for the next reader): each import here is followed by it, timed apart
// and printed beside the import's figure, and a figure with it included.
// Both CSV readers are measured in the same run: the hand-split fast path (what a file without quotes
// takes) and csv-parse's general path (what a file with a quote takes), to show what the fast path buys.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type ContractBar, parseTimeframe } from '../core/src/index.ts';
import type { CsvPath } from '../core/src/node/csv/csv-records.ts';
import type { Pool } from '../core/src/node.ts';
import { writeHistoryBars } from '../ingester/src/history-store.ts';
import { importBarFile, parseBarFile } from '../scripts/lib/history/bar-file-import.ts';
import { sumCounts, type WriteCounts } from '../scripts/lib/history/bar-writer.ts';
import { parseKlineCsv } from '../core/src/node/csv/kline-csv.ts';
import { historyPool } from '../scripts/lib/history/history-database.ts';
import { vacuumAfterBulkLoad } from '../scripts/lib/history/bulk-load-vacuum.ts';
import { embeddedBenchDatabase, externalBenchDatabase, type KindedBenchDatabase } from './lib/bench-database.ts';
import { barCopyChunks, copyBarChunks } from './lib/copy-bars.ts';
import { figure as untagged, loadAverage, printMachine } from './lib/report.ts';

const TOTAL = Number(process.env.BENCH_BARS ?? 1_000_000);
const SMALL = Number(process.env.BENCH_BASELINE_BARS ?? 100_000);
const TARGET = 200_000;
const MINUTE = 60_000;
const START = Date.UTC(2020, 0, 1);

/** The server kind the figures being printed come from ("plain PostgreSQL 17.5", "TimescaleDB 2.22.1 on …"). */
let server = '';
const figure = (name: string, value: number | string, unit?: string, note?: string): void =>
  untagged(`[${server}] ${name}`, value, unit, note);

/** A Binance kline dump of 1-minute bars (prices on a 0.25 tick, exact in binary like real ones). */
function klineCsv(count: number, volumeShift: number, first = 0): string {
  const parts: string[] = [];
  for (let i = first; i < first + count; i++) {
    const t = START + i * MINUTE;
    const base = 30_000 + (i % 997) * 0.25;
    parts.push(`${t},${base},${base + 5.5},${base - 4.25},${base + 1.75},${(i % 1000) + volumeShift},${t + MINUTE - 1},0,1,0,0,0`);
  }
  return `${parts.join('\n')}\n`;
}

/** The same bars in the origin's layout (what npm run export writes), read by core's BarCsvReader. */
function originCsv(count: number, contractId: string): string {
  const parts = ['contract_id,timestamp,open,high,low,close,volume,timeframe_unit,timeframe_value'];
  for (let i = 0; i < count; i++) {
    const base = 30_000 + (i % 997) * 0.25;
    const stamp = new Date(START + i * MINUTE).toISOString().slice(0, 19).replace('T', ' ');
    parts.push(`${contractId},${stamp}+00:00,${base},${base + 5.5},${base - 4.25},${base + 1.75},${i % 1000},2,1`);
  }
  return `${parts.join('\n')}\n`;
}

/** Whether the server's backends are processes of this machine (a container's pids are not). */
let localServer = true;

/** CPU time (ms) the backend `pid` has used so far, or undefined when the server is not local. */
function backendCpuMs(pid: number | undefined): number | undefined {
  const path = `/proc/${pid}/stat`;
  if (pid === undefined || !localServer || !existsSync(path)) return undefined;
  const fields = readFileSync(path, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime, in clock ticks of 10 ms (fields 14 and 15 of proc(5); 12 and 13 after the name).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const backendPid = async (pool: Pool): Promise<number | undefined> =>
  (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;

interface Run {
  totalS: number;
  nodeCpuS: number;
  dbCpuS: number | undefined;
  counts: WriteCounts;
  /** The VACUUM (ANALYZE) npm run import ends with: wall and backend CPU seconds; undefined when below its threshold. */
  vacuum: { seconds: number; dbCpuS: number | undefined } | undefined;
}

/** One importBarFile, timed; `pool` holds one connection, so the backend whose CPU is read is the one that wrote. */
async function importTimed(pool: Pool, path: string, csvPath: CsvPath = 'auto'): Promise<Run> {
  const pid = await backendPid(pool);
  const dbBefore = backendCpuMs(pid);
  const nodeBefore = process.cpuUsage();
  const t0 = performance.now();
  const report = await importBarFile(pool, path, { csvPath });
  const totalS = (performance.now() - t0) / 1000;
  const node = process.cpuUsage(nodeBefore);
  const dbAfter = backendCpuMs(pid);
  if (!report.committed) throw new Error(`${path}: ${report.errors.length} bad rows, first: ${JSON.stringify(report.errors[0])}`);
  const counts = sumCounts(report.results);
  // As the command does after its files: same connection, so the backend read is the one that vacuumed.
  const vacuum = await vacuumAfterBulkLoad(pool, counts.inserted + counts.updated);
  if (vacuum?.error !== undefined) throw new Error(`VACUUM (ANALYZE) ohlc_bars failed: ${vacuum.error}`);
  const dbVacuumed = backendCpuMs(pid);
  const samePid = (await backendPid(pool)) === pid;
  const cpuS = (from: number | undefined, to: number | undefined): number | undefined =>
    samePid && from !== undefined && to !== undefined ? (to - from) / 1000 : undefined;
  return {
    totalS,
    nodeCpuS: (node.user + node.system) / 1e6,
    dbCpuS: cpuS(dbBefore, dbAfter),
    counts,
    vacuum: vacuum && { seconds: vacuum.seconds, dbCpuS: cpuS(dbAfter, dbVacuumed) },
  };
}

function report(name: string, run: Run, expect: keyof Omit<WriteCounts, 'rows'>, withTarget = true): void {
  const n = run.counts.rows;
  if (run.counts[expect] !== n) throw new Error(`${name}: expected all ${n} ${expect}, got ${JSON.stringify(run.counts)}`);
  const rate = n / run.totalS;
  const { vacuum } = run;
  figure(
    `${name}: file → table`,
    rate,
    'bars/s',
    `${n.toLocaleString('en-US')} ${expect} in ${run.totalS.toFixed(2)} s` +
      (vacuum ? `, then VACUUM (ANALYZE) ${vacuum.seconds.toFixed(2)} s not included (next lines)` : '') +
      (withTarget ? `; target ≥ ${TARGET.toLocaleString('en-US')}: ${rate >= TARGET ? 'met' : 'NOT met'}` : ''),
  );
  figure('  Node CPU (read, parse, compare, encode)', n / run.nodeCpuS, 'bars per CPU-second', `${run.nodeCpuS.toFixed(2)} s`);
  if (run.dbCpuS) figure('  database CPU (COPY, upsert, commit)', n / run.dbCpuS, 'bars per CPU-second', `${run.dbCpuS.toFixed(2)} s`);
  if (!vacuum) return;
  figure(
    '  + VACUUM (ANALYZE) ohlc_bars, as npm run import ends',
    vacuum.seconds,
    's',
    vacuum.dbCpuS === undefined ? 'wall' : `wall; database CPU ${vacuum.dbCpuS.toFixed(2)} s`,
  );
  figure(
    '  file → table with the VACUUM',
    n / (run.totalS + vacuum.seconds),
    'bars/s',
    `${(run.totalS + vacuum.seconds).toFixed(2)} s in all`,
  );
}

async function reset(pool: Pool): Promise<void> {
  await pool.query('TRUNCATE ohlc_bars');
  await pool.query('CHECKPOINT');
}

/** The physical floor beside the import: the file's bars COPYed into the empty ohlc_bars as plain
 * text from one connection (parsed before the clock starts; no comparison, no NOTIFY). */
async function copyFloor(url: string, path: string): Promise<number> {
  const bars = parseKlineCsv(readFileSync(path, 'utf8'), { contractId: 'BENCHUSDT', timeframe: parseTimeframe('1m') }).bars;
  const chunks = barCopyChunks('BENCHUSDT', bars, { unit: 2, value: 1, label: '1m' });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    await copyBarChunks(client, chunks);
    return bars.length / ((performance.now() - started) / 1000);
  } finally {
    await client.end();
  }
}

/** Read + parse + validate + duplicate check alone, no database: what Node spends before any write. */
function parseAlone(name: string, path: string, csvPath: CsvPath = 'auto'): number {
  const t0 = performance.now();
  const parsed = parseBarFile(readFileSync(path, 'utf8'), path, { csvPath });
  const s = (performance.now() - t0) / 1000;
  const rate = parsed.bars.length / s;
  figure(`${name}: parse alone (read + validate)`, rate, 'bars/s', `${s.toFixed(2)} s, no database`);
  return rate;
}

/** The fast path against the general path on the same file, parse alone. */
function parsePaths(name: string, path: string): void {
  const fast = parseAlone(`${name}, fast path (hand split)`, path, 'fast');
  const general = parseAlone(`${name}, general path (csv-parse)`, path, 'general');
  figure('  fast path over general path', fast / general, '×', 'parse alone');
}

/** The whole sequence on one server. */
async function runOn(db: KindedBenchDatabase): Promise<void> {
  server = db.kind;
  localServer = db.local;
  console.log(`\n# server: ${db.kind} (${db.label})`);
  const dir = mkdtempSync(join(tmpdir(), 'barstream-bench-import-'));
  // One connection: the backend whose CPU time is read is the one importBarFile writes through.
  const pool = historyPool(db.url, 1);
  try {
    await sequence(pool, dir, db.url);
  } finally {
    await pool.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The import figures on the server behind `pool`, with its files in `dir`. */
async function sequence(pool: Pool, dir: string, url: string): Promise<void> {
  const file = join(dir, 'BENCHUSDT-1m-2020-01.csv');
  const changed = join(dir, 'changed', 'BENCHUSDT-1m-2020-01.csv');
  const next = join(dir, 'next', 'BENCHUSDT-1m-2021-11.csv');
  mkdirSync(join(dir, 'changed'));
  mkdirSync(join(dir, 'next'));
  writeFileSync(file, klineCsv(TOTAL, 0));
  writeFileSync(changed, klineCsv(TOTAL, 0.5));
  writeFileSync(next, klineCsv(TOTAL, 0, TOTAL));

  console.log(`\n## ${TOTAL.toLocaleString('en-US')} bars, Binance kline CSV, one file = one transaction`);
  parsePaths('kline CSV', file);
  await reset(pool);
  const first = await importTimed(pool, file);
  report('empty table', first, 'inserted');
  await reset(pool);
  const floor = await copyFloor(url, file);
  figure('COPY floor: the same bars, plain COPY, one connection', floor, 'bars/s', 'text rows built before the clock starts');
  console.log(`import / COPY floor: ${Math.round((100 * first.counts.rows) / first.totalS / floor)}% [${server}]`);
  await reset(pool);
  report('empty table, general path (csv-parse)', await importTimed(pool, file, 'general'), 'inserted', false);
  await reset(pool);
  report('empty table, fast path again', await importTimed(pool, file), 'inserted');
  report('same file again (all unchanged)', await importTimed(pool, file), 'unchanged');
  report('every volume changed (all updated)', await importTimed(pool, changed), 'updated');
  report('the following bars (table holds the first)', await importTimed(pool, next), 'inserted');

  console.log(`\n## against the ingester's vendor-bar path, ${SMALL.toLocaleString('en-US')} bars into an empty table`);
  const small = join(dir, 'small', 'SMALLUSDT-1m-2020-01.csv');
  mkdirSync(join(dir, 'small'));
  writeFileSync(small, klineCsv(SMALL, 0));
  await reset(pool);
  const ours = await importTimed(pool, small);
  report('barstream import', ours, 'inserted', false);
  await reset(pool);
  const bars: ContractBar[] = parseKlineCsv(readFileSync(small, 'utf8'), { contractId: 'BASE.X', timeframe: parseTimeframe('1m') }).bars;
  const started = performance.now();
  await writeHistoryBars(pool, bars);
  const baseRate = SMALL / ((performance.now() - started) / 1000);
  figure('baseline: writeHistoryBars (unnest + NOTIFY per row)', baseRate, 'bars/s', 'parse not included');
  figure('speed-up over the baseline', SMALL / ours.totalS / baseRate, '×', 'barstream import including its parse, without its VACUUM');

  console.log(
    `\n## the origin CSV layout, ${SMALL.toLocaleString('en-US')} bars (core's BarCsvReader: rules checked by hand, zod only for rows that fail them)`,
  );
  const origin = join(dir, 'origin.csv');
  writeFileSync(origin, originCsv(SMALL, 'ORIGIN.X'));
  parsePaths('origin layout', origin);
  await reset(pool);
  report('origin layout, empty table', await importTimed(pool, origin), 'inserted', false);
}

printMachine('bench:import', 'embedded PostgreSQL, then BENCH_DATABASE_URL when set');
console.log(`load average before: ${loadAverage()} (on a shared machine wall-clock figures drop; the CPU-second figures much less)`);
const databases: KindedBenchDatabase[] = [];
try {
  databases.push(await embeddedBenchDatabase());
  const external = await externalBenchDatabase();
  if (external) databases.push(external);
  else console.log('BENCH_DATABASE_URL not set: plain PostgreSQL only (set it to a TimescaleDB server for its figures too)');
  for (const db of databases) await runOn(db);
  console.log(`\nload average after: ${loadAverage()}`);
} catch (err) {
  console.error('bench failed:', err);
  process.exitCode = 1;
} finally {
  for (const db of databases) await db.stop();
}
