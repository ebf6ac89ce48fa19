// Writing imported bars to a real PostgreSQL: inserted, then unchanged, then updated, with one
// bars_imported per series that changed; a bar another writer inserted meanwhile becomes an update;
// and the real MES files read back bar for bar and re-imported as all unchanged.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { ContractBar } from '../../core/src/index.ts';
import { parseBarCsv } from '../../core/src/node/csv/bar-csv.ts';
import { importBarFile } from '../../scripts/lib/history/bar-file-import.ts';
import { eventually } from '../support/eventually.ts';
import { hasSharedData, MES_DIR } from '../support/shared-data.ts';
import { ChannelListener } from '../support/channel-listener.ts';
import { db, file, HEADER, pool, row, stored, T0, useBarImportFixture } from '../support/bar-import-fixture.ts';

useBarImportFixture();

describe('import of the barstream (origin) layout', () => {
  it('counts inserted, then unchanged on re-import, then updated when values changed; one bars_imported per series that changed', async () => {
    const listener = await ChannelListener.listen(db.url, 'barsImported');
    try {
      const text = (close: number) =>
        [
          HEADER,
          ...Array.from({ length: 50 }, (_, i) => row('X.MES', T0 + i * 300_000, 5000, 5010, 4990, close, i)),
          ...Array.from({ length: 20 }, (_, i) => row('X.MES', T0 + i * 3_600_000, 5000, 5010, 4990, close, i, 3, 1)),
        ].join('\n');
      const totals = async (close: number) =>
        (await importBarFile(pool, file('series.csv', text(close)))).results.map((r) => [
          r.unit,
          r.value,
          r.rows,
          r.inserted,
          r.updated,
          r.unchanged,
        ]);
      expect(await totals(5001)).toEqual([
        [2, 5, 50, 50, 0, 0],
        [3, 1, 20, 20, 0, 0],
      ]);
      expect(await totals(5001)).toEqual([
        [2, 5, 50, 0, 0, 50],
        [3, 1, 20, 0, 0, 20],
      ]);
      expect(await totals(5002)).toEqual([
        [2, 5, 50, 0, 50, 0],
        [3, 1, 20, 0, 20, 0],
      ]);
      const received = await listener.take(4);
      const five = {
        type: 'bars_imported',
        contract_id: 'X.MES',
        timeframe_unit: 2,
        timeframe_value: 5,
        from: new Date(T0).toISOString(),
        to: new Date(T0 + 49 * 300_000).toISOString(),
        count: 50,
      };
      const hour = {
        type: 'bars_imported',
        contract_id: 'X.MES',
        timeframe_unit: 3,
        timeframe_value: 1,
        from: new Date(T0).toISOString(),
        to: new Date(T0 + 19 * 3_600_000).toISOString(),
        count: 20,
      };
      // First import and the changed one; the unchanged re-import sends nothing.
      expect(received).toEqual([five, hour, five, hour]);
    } finally {
      await listener.end();
    }
  });

  it('still writes, as an update, a bar another writer inserted while the import ran', async () => {
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(
        `INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed)
        VALUES ('CC.X', $1, 5001, 5001, 5001, 5001, 1, 2, 5, '5m', false)`,
        [new Date(T0 + 300_000)],
      );
      const path = file('cc.csv', [HEADER, ...[0, 1, 2].map((i) => row('CC.X', T0 + i * 300_000, 5000, 5002, 4999, 5001, 10))].join('\n'));
      const importing = importBarFile(pool, path);
      // The import's insert of that key waits for the other transaction (a condition, not a sleep),
      // then finds it committed.
      await eventually(
        async () =>
          (await pool.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rowCount ===
          1,
      );
      await other.query('COMMIT');
      const report = await importing;
      expect(report.results.map((r) => [r.inserted, r.updated, r.unchanged])).toEqual([[2, 1, 0]]);
      expect(await stored('CC.X', 2, 5)).toEqual([0, 1, 2].map((i) => [T0 + i * 300_000, 5000, 5002, 4999, 5001, 10]));
    } finally {
      await other.end();
    }
  });
});

describe.skipIf(!hasSharedData)('the real MES files (../shared/data/mes)', () => {
  it('import and read back the same bars, and re-import as all unchanged', async () => {
    const files = readdirSync(MES_DIR)
      .filter((f) => /^MES_M25_.*\.csv$/.test(f))
      .sort();
    expect(files).toHaveLength(4);
    for (const name of files) {
      const text = readFileSync(join(MES_DIR, name), 'utf8');
      const expected = parseBarCsv(text);
      expect(expected.errors).toEqual([]);
      const report = await importBarFile(pool, join(MES_DIR, name));
      expect(report).toMatchObject({ committed: true, errors: [] });
      const first = expected.bars[0] as ContractBar;
      const want = [...expected.bars].sort((a, b) => a.time - b.time).map((b) => [b.time, b.open, b.high, b.low, b.close, b.volume]);
      expect(await stored(first.contractId, first.unit, first.value)).toEqual(want);
      const again = await importBarFile(pool, join(MES_DIR, name));
      expect(again.results.map((r) => [r.inserted, r.updated, r.unchanged])).toEqual([[0, 0, want.length]]);
    }
  });
});
