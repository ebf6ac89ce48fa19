// npm run import ends a bulk load with VACUUM (ANALYZE) ohlc_bars, its time printed: only when it wrote at
// least the threshold's rows, outside the files' transactions, and a failed VACUUM is a warning, not a
// failed import. On a real PostgreSQL (on TimescaleDB the hypertable's chunks are counted with it).
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../core/src/node/load-config.ts';
import { parseImportArgs } from '../../scripts/lib/history/import-args.ts';
import { runImport } from '../../scripts/lib/history/import-command.ts';
import { capturedOutput } from '../support/captured-output.ts';
import { count, db, file, HEADER, pool, row, T0, useBarImportFixture } from '../support/bar-import-fixture.ts';

useBarImportFixture();

const BARS = [HEADER, ...Array.from({ length: 5 }, (_, i) => row('C.X', T0 + i * 300_000, 10, 11, 9, 10.5, i))].join('\n');

/** Manual VACUUMs and all-visible pages of ohlc_bars and (TimescaleDB) its chunks. */
async function vacuumState(): Promise<{ vacuums: number; analyzes: number; allVisiblePages: number }> {
  const { rows } = await pool.query<{ vacuums: number; analyzes: number; pages: number }>(`
    WITH rel AS (SELECT 'ohlc_bars'::regclass::oid AS oid UNION ALL SELECT inhrelid FROM pg_inherits WHERE inhparent = 'ohlc_bars'::regclass)
    SELECT (SELECT coalesce(sum(vacuum_count), 0)::int FROM pg_stat_user_tables WHERE relid IN (SELECT oid FROM rel)) AS vacuums,
           (SELECT coalesce(sum(analyze_count), 0)::int FROM pg_stat_user_tables WHERE relid IN (SELECT oid FROM rel)) AS analyzes,
           (SELECT coalesce(sum(relallvisible), 0)::int FROM pg_class WHERE oid IN (SELECT oid FROM rel)) AS pages`);
  const r = rows[0]!;
  return { vacuums: r.vacuums, analyzes: r.analyzes, allVisiblePages: r.pages };
}

async function runCli(argv: string[], vacuumAfterRows: number, url = db.url) {
  const { stdout, stderr, text } = capturedOutput();
  const settings = parseSettings({
    database: { url },
    contracts: [{ id: 'SIM.MES', provider: 'simulated', symbol: 'SIM.MES', tick_size: 0.25, session_calendar: 'utc' }],
    ingester: { contracts: ['SIM.MES'] },
  });
  const code = await runImport(parseImportArgs(argv), { settings, rootDir: process.cwd(), stdout, stderr, vacuumAfterRows });
  return { code, out: text.out, err: text.err };
}

describe('npm run import: VACUUM (ANALYZE) after a bulk load', () => {
  it('vacuums and analyzes ohlc_bars once the rows written reach the threshold, and prints its time', async () => {
    const before = await vacuumState();
    expect(before.allVisiblePages).toBe(0);
    const result = await runCli([file('five.csv', BARS)], 5);
    expect(result.code).toBe(0);
    expect(result.err).toBe('');
    expect(result.out.trim().split('\n')[1]).toMatch(
      /^VACUUM \(ANALYZE\) ohlc_bars after 5 bars written: \d+\.\d\d s \(hint bits, visibility map and statistics set now, .*part of this load's time\)$/,
    );
    const after = await vacuumState();
    expect(after.vacuums).toBe(before.vacuums + 1);
    expect(after.analyzes).toBe(before.analyzes + 1);
    // The pages holding the new bars are marked all-visible: their rows' hint bits were set by the VACUUM.
    expect(after.allVisiblePages).toBeGreaterThan(0);
  });

  it('leaves it to autovacuum below the threshold, and when nothing was written', async () => {
    const five = file('five.csv', BARS);
    const before = await vacuumState();
    const first = await runCli([five], 6);
    expect(first.code).toBe(0);
    expect(first.out).not.toContain('VACUUM');
    // The same file again: all 5 unchanged, 0 written.
    const again = await runCli([five], 1);
    expect(again.out).toContain('inserted 0, updated 0, unchanged 5');
    expect(again.out).not.toContain('VACUUM');
    expect((await vacuumState()).vacuums).toBe(before.vacuums);
  });

  it('a VACUUM that fails is a warning: the import is committed and exits 0', async () => {
    // Another session holds the lock VACUUM needs; the import's connections give up on it at once.
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE ohlc_bars IN SHARE UPDATE EXCLUSIVE MODE');
      const url = new URL(db.url);
      url.searchParams.set('options', '-c lock_timeout=50');
      const result = await runCli([file('five.csv', BARS)], 5, url.toString());
      expect(result.code).toBe(0);
      expect(result.err.trim()).toMatch(
        /^warning: VACUUM \(ANALYZE\) ohlc_bars after 5 bars written failed after \d+\.\d\d s \(canceling statement due to lock timeout\); the bars are stored/,
      );
      expect(await count()).toBe(5);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });
});
