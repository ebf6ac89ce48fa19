// npm run bench:import — bar CSV import into ohlc_bars (parse, COPY into a temporary table, one upsert,
// one bars_imported per series) on 1,000,000 one-minute bars: into an empty table, re-importing the
// same file (all unchanged), and with every volume changed (all updated). Compared against the
// ingester's vendor-bar path (writeHistoryBars: unnest batches of 5,000, an ohlc_update NOTIFY per row).
// Wall-clock figures depend on what else the machine runs, so the database backend's own CPU time per
// bar is printed beside them (read from /proc when the server is local).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContractBar } from '../core/src/index.ts';
import type { Pool, PoolClient } from '../core/src/node.ts';
import { writeHistoryBars } from '../ingester/src/history-store.ts';
import { parseBarFile } from '../scripts/lib/history/bar-file-import.ts';
import { sumCounts, upsertClosedBars, type WriteCounts } from '../scripts/lib/history/bar-writer.ts';
import { historyPool } from '../scripts/lib/history/history-database.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { figure, printMachine } from './lib/report.ts';

const TOTAL = Number(process.env.BENCH_BARS ?? 1_000_000);
const SMALL = Number(process.env.BENCH_BASELINE_BARS ?? 100_000);
const TARGET = 200_000;
const MINUTE = 60_000;
const START = Date.UTC(2020, 0, 1);

/** A Binance kline dump of 1-minute bars (prices on a 0.25 tick, exact in binary like real ones). */
function klineCsv(count: number, volumeShift: number): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const t = START + i * MINUTE;
    const base = 30_000 + (i % 997) * 0.25;
    parts.push(`${t},${base},${base + 5.5},${base - 4.25},${base + 1.75},${(i % 1000) + volumeShift},${t + MINUTE - 1},0,1,0,0,0`);
  }
  return `${parts.join('\n')}\n`;
}

/** The same bars in the origin's layout (what npm run export writes), parsed by core's parseBarCsv. */
function originCsv(count: number, contractId: string): string {
  const parts = ['contract_id,timestamp,open,high,low,close,volume,timeframe_unit,timeframe_value'];
  for (let i = 0; i < count; i++) {
    const base = 30_000 + (i % 997) * 0.25;
    const stamp = new Date(START + i * MINUTE).toISOString().slice(0, 19).replace('T', ' ');
    parts.push(`${contractId},${stamp}+00:00,${base},${base + 5.5},${base - 4.25},${base + 1.75},${i % 1000},2,1`);
  }
  return `${parts.join('\n')}\n`;
}

/** CPU time (ms) the backend serving `client` has used, or undefined when the server is not local. */
async function backendCpu(client: PoolClient): Promise<() => number | undefined> {
  const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
  const path = `/proc/${pid}/stat`;
  const read = (): number | undefined => {
    if (!existsSync(path)) return undefined;
    const fields = readFileSync(path, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime, in clock ticks of 10 ms (fields 14 and 15 of proc(5); 12 and 13 after the name).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  const before = read();
  return () => { const after = read(); return before === undefined || after === undefined ? undefined : after - before; };
}

interface Run { parseS: number; writeS: number; totalS: number; dbCpuS: number | undefined; counts: WriteCounts }

/** importBarFile's steps, timed apart: read + parse, then the one write transaction. */
async function importTimed(pool: Pool, path: string): Promise<Run> {
  const t0 = performance.now();
  const parsed = parseBarFile(await readFile(path, 'utf8'), path);
  if (parsed.errors.length > 0) throw new Error(`${path}: ${parsed.errors.length} bad rows, first: ${JSON.stringify(parsed.errors[0])}`);
  const client = await pool.connect();
  try {
    const cpu = await backendCpu(client);
    const t1 = performance.now();
    await client.query('BEGIN');
    const results = await upsertClosedBars(client, parsed.bars);
    await client.query('COMMIT');
    const t2 = performance.now();
    const dbCpuMs = cpu();
    return { parseS: (t1 - t0) / 1000, writeS: (t2 - t1) / 1000, totalS: (t2 - t0) / 1000,
      dbCpuS: dbCpuMs === undefined ? undefined : dbCpuMs / 1000, counts: sumCounts(results) };
  } finally {
    client.release();
  }
}

function report(name: string, run: Run, expect: keyof Omit<WriteCounts, 'rows'>, withTarget = true): void {
  const n = run.counts.rows;
  if (run.counts[expect] !== n) throw new Error(`${name}: expected all ${n} ${expect}, got ${JSON.stringify(run.counts)}`);
  const rate = n / run.totalS;
  figure(`${name}: file → table`, rate, 'bars/s', `${n.toLocaleString('en-US')} ${expect} in ${run.totalS.toFixed(2)} s`
    + (withTarget ? `; target ≥ ${TARGET.toLocaleString('en-US')}: ${rate >= TARGET ? 'met' : 'NOT met'}` : ''));
  figure('  of which parse (read + validate)', n / run.parseS, 'bars/s', `${run.parseS.toFixed(2)} s`);
  figure('  of which write (COPY + upsert + commit)', n / run.writeS, 'bars/s', `${run.writeS.toFixed(2)} s`
    + (run.dbCpuS ? `; database CPU ${run.dbCpuS.toFixed(2)} s = ${Math.round(n / run.dbCpuS).toLocaleString('en-US')} bars per CPU-second` : ''));
}

async function reset(pool: Pool): Promise<void> {
  await pool.query('TRUNCATE ohlc_bars');
  await pool.query('CHECKPOINT');
}

const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');
const dir = mkdtempSync(join(tmpdir(), 'barstream-bench-import-'));
const db = await benchDatabase();
const pool = historyPool(db.url, 2);
try {
  printMachine('bench:import', db.label);
  console.log(`load average before: ${load()} (on a shared machine wall-clock figures drop; the CPU-second figures much less)`);
  const file = join(dir, 'BENCHUSDT-1m-2020-01.csv');
  mkdirSync(join(dir, 'changed'));
  const changed = join(dir, 'changed', 'BENCHUSDT-1m-2020-01.csv');
  writeFileSync(file, klineCsv(TOTAL, 0));
  writeFileSync(changed, klineCsv(TOTAL, 0.5));

  console.log(`\n## ${TOTAL.toLocaleString('en-US')} bars, Binance kline CSV, one file = one transaction`);
  await reset(pool);
  report('empty table', await importTimed(pool, file), 'inserted');
  report('same file again (all unchanged)', await importTimed(pool, file), 'unchanged');
  report('every volume changed (all updated)', await importTimed(pool, changed), 'updated');

  console.log(`\n## against the ingester's vendor-bar path, ${SMALL.toLocaleString('en-US')} bars into an empty table`);
  const small = join(dir, 'small', 'SMALLUSDT-1m-2020-01.csv');
  mkdirSync(join(dir, 'small'));
  writeFileSync(small, klineCsv(SMALL, 0));
  await reset(pool);
  const ours = await importTimed(pool, small);
  report('barstream import', ours, 'inserted', false);
  await reset(pool);
  const bars = parseBarFile(readFileSync(small, 'utf8'), small).bars.map((b): ContractBar => ({ ...b, contractId: 'BASE.X' }));
  const started = performance.now();
  await writeHistoryBars(pool, bars);
  const baseRate = SMALL / ((performance.now() - started) / 1000);
  figure('baseline: writeHistoryBars (unnest + NOTIFY per row)', baseRate, 'bars/s', 'parse not included');
  figure('speed-up of the write over the baseline', (SMALL / ours.writeS) / baseRate, '×');

  console.log(`\n## the origin CSV layout, ${SMALL.toLocaleString('en-US')} bars (parsed by core's parseBarCsv: zod per row)`);
  const origin = join(dir, 'origin.csv');
  writeFileSync(origin, originCsv(SMALL, 'ORIGIN.X'));
  await reset(pool);
  report('origin layout, empty table', await importTimed(pool, origin), 'inserted', false);

  if (!process.env.BENCH_DATABASE_URL) {
    // What-if, on this throwaway database only: timeframe_label() is declared STRICT, which keeps
    // PostgreSQL from inlining it into the ohlc_bars CHECK, so every written row pays a SQL function call.
    console.log(`\n## what-if: timeframe_label() without STRICT (inlined into the CHECK), ${TOTAL.toLocaleString('en-US')} bars`);
    await pool.query(`CREATE OR REPLACE FUNCTION timeframe_label(unit smallint, value integer) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN value::text || CASE unit WHEN 1 THEN 's' WHEN 2 THEN 'm' WHEN 3 THEN 'h' WHEN 4 THEN 'd' WHEN 5 THEN 'w' WHEN 6 THEN 'mo' END`);
    await reset(pool);
    report('empty table', await importTimed(pool, file), 'inserted');
    report('every volume changed (all updated)', await importTimed(pool, changed), 'updated');
  }
  console.log(`\nload average after: ${load()}`);
} catch (err) {
  console.error('bench failed:', err);
  process.exitCode = 1;
} finally {
  await pool.end();
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
}
