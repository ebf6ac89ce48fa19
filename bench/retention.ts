// npm run bench:retention — the ingester's retention pass (ingester/src/retention-job.ts) on a ticks table of
// BENCH_TICKS rows over ten days (70 % older than the cutoff): rows/s, DELETEs, the longest DELETE (how long
// one statement holds its locks), against the baseline of one DELETE of the same rows. BENCH_DATABASE_URL
// picks the server — and empties its ticks table (TimescaleDB: ticks go by its policy in production; this
// measures the job's DELETEs).
import pg from 'pg';
import { type Queryable, retentionCutoff, runRetention } from '../ingester/src/retention-job.ts';
import { benchDatabase, serverKind } from './lib/bench-database.ts';
import { figure, percentile, printLoad, printMachine } from './lib/report.ts';

const TICKS = Number(process.env.BENCH_TICKS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH_ROWS ?? 10_000);
const NOW = new Date('2026-03-10T12:00:00Z');
const DAYS = 10;

const db = await benchDatabase();
const pool = new pg.Pool({ connectionString: db.url, max: 2 });
try {
  printMachine(
    `Retention pass over ${TICKS.toLocaleString('en-US')} ticks, batch_rows ${BATCH}`,
    `${db.label}; ${await serverKind(db.url)}`,
  );
  printLoad('before');
  const fill = async () => {
    await pool.query('TRUNCATE ticks');
    // Two contracts, evenly over ten days before NOW.
    await pool.query(
      `INSERT INTO ticks (contract_id, "timestamp", price, volume)
       SELECT CASE WHEN g % 2 = 0 THEN 'SIM.A' ELSE 'SIM.B' END,
              $1::timestamptz - make_interval(secs => ($2::float8 * 86400 * g) / $3), 100, 1
         FROM generate_series(1, $3) g`,
      [NOW, DAYS, TICKS],
    );
    await pool.query('VACUUM ANALYZE ticks');
  };
  const cutoff = retentionCutoff(NOW, 3);

  await fill();
  const statementMs: number[] = [];
  const timed: Queryable = {
    query: async (text, values) => {
      const t = performance.now();
      const r = await pool.query(text, values);
      if (/\bDELETE FROM\b/.test(text)) statementMs.push(performance.now() - t);
      return { rows: r.rows, rowCount: r.rowCount };
    },
  };
  const t0 = performance.now();
  const report = await runRetention(timed, { ticksDays: 3, bars: [], batchRows: BATCH }, NOW);
  const passMs = performance.now() - t0;
  statementMs.sort((a, b) => a - b);
  figure('retention pass: rows deleted', report.ticks, 'rows', `${report.statements} statements`);
  figure('retention pass: throughput', (report.ticks / passMs) * 1000, 'rows/s', `${(passMs / 1000).toFixed(1)} s`);
  figure(
    'retention pass: one DELETE p50 / max',
    `${percentile(statementMs, 50).toFixed(1)} / ${(statementMs.at(-1) ?? 0).toFixed(1)}`,
    'ms',
  );

  await fill();
  const t1 = performance.now();
  const single = await pool.query('DELETE FROM ticks WHERE "timestamp" < $1', [cutoff]);
  const singleMs = performance.now() - t1;
  figure(
    'baseline: one DELETE of the same rows',
    singleMs,
    'ms',
    `${(single.rowCount ?? 0).toLocaleString('en-US')} rows, ${(((single.rowCount ?? 0) / singleMs) * 1000).toFixed(0)} rows/s, all in one lock`,
  );
  printLoad('after');
} finally {
  await pool.end();
  await db.stop();
}
