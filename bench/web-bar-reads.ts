// bench:web's side-by-side of the ways to read one request's 10,000 bars, in this process:
// the old path (binary COPY on a pg pool with a string-built query: what web/lib/server/bar-reader.ts
// did before every route read through Prisma, kept here only as the baseline), Prisma's findMany
// with select (what the web reads through now), and the web's cache of recent bars over it.
import pg from 'pg';
import { copyBarsBinary } from '../core/src/node/copy-bars-binary.ts';
import { createPrismaClient } from '../prisma/prisma-client.ts';
import { RecentBarsCache } from '../web/lib/server/recent-bars-cache.ts';
import { readNewestBars } from '../web/lib/server/stored-bars.ts';
import { figure, percentile } from './lib/report.ts';

const ONE_MINUTE = { unit: 2, value: 1 } as const;

/** The old path: the newest `limit` 1m bars of a contract, by binary COPY. */
async function copyNewestBars(pool: pg.Pool, contractId: string, limit: number): Promise<number> {
  const client = await pool.connect();
  try {
    const bars = await copyBarsBinary(
      client,
      `SELECT "timestamp", open, high, low, close, volume, is_closed::int::float8
        FROM (SELECT * FROM ohlc_bars WHERE contract_id = ${client.escapeLiteral(contractId)} AND timeframe_unit = 2 AND timeframe_value = 1
               ORDER BY "timestamp" DESC LIMIT ${Math.trunc(limit)}) AS newest ORDER BY "timestamp"`,
      { withClosed: true },
    );
    return bars.length;
  } finally {
    client.release();
  }
}

interface Timed {
  readonly sorted: number[];
  /** This process's CPU per read (PostgreSQL's own work not included). */
  readonly cpuMs: number;
}

async function timeEach(runs: number, read: () => Promise<number>, expected: number): Promise<Timed> {
  for (let i = 0; i < 5; i++) await read(); // warm: JIT, pools, plan caches
  const times: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const count = await read();
    times.push(performance.now() - started);
    if (count !== expected) throw new Error(`read ${count} bars, expected ${expected}`);
  }
  const cpu = process.cpuUsage(cpuBefore);
  return { sorted: times.sort((a, b) => a - b), cpuMs: (cpu.user + cpu.system) / 1000 / runs };
}

export async function compareBarReads(url: string, contractId: string, bars: number, runs: number): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const prisma = createPrismaClient(url, { max: 2 });
  const cache = new RecentBarsCache({ read: (r) => readNewestBars(prisma, r) });
  cache.setListening(true); // nothing writes during the benchmark: no notification to wait for
  const range = { contractId, timeframe: ONE_MINUTE, fromMs: undefined, toMs: undefined, limit: bars };
  try {
    const rows: [string, Timed][] = [
      ['old: binary COPY, string-built SQL (baseline)', await timeEach(runs, () => copyNewestBars(pool, contractId, bars), bars)],
      ['new: Prisma findMany + select', await timeEach(runs, async () => (await readNewestBars(prisma, range)).length, bars)],
      ['new: recent-bars cache (filled through Prisma)', await timeEach(runs, async () => (await cache.newestBars(range)).length, bars)],
    ];
    for (const [name, { sorted, cpuMs }] of rows) {
      figure(
        `${name}: p50 / p95`,
        `${percentile(sorted, 50).toFixed(2)} / ${percentile(sorted, 95).toFixed(2)}`,
        'ms',
        `CPU here ${cpuMs.toFixed(2)} ms per read`,
      );
    }
  } finally {
    await pool.end();
    await prisma.$disconnect();
  }
}
