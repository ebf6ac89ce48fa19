// Export of stored bars to CSV: an export → import round trip bit for bit, a quoted contract id read
// back, and the [from, to) and closed-bars limits; on a real PostgreSQL.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseTimeframe } from '../../core/src/index.ts';
import { exportBars } from '../../scripts/lib/history/bar-export.ts';
import { importBarFile } from '../../scripts/lib/history/bar-file-import.ts';
import { file, HEADER, pool, row, stored, T0, useBarImportFixture } from '../support/bar-import-fixture.ts';

useBarImportFixture();

describe('export', () => {
  it('round-trips through import bit for bit', async () => {
    // Values that only survive a shortest-exact float format; volumes with fractions; a sub-second label.
    const bars = Array.from({ length: 200 }, (_, i): string => {
      const base = 0.1 + 0.2 + i * 1e-9;
      return row('RT.X', T0 + i * 60_000, base, base * 3, base / 3, base * 1.5, (i * 7) / 3, 2, 1);
    });
    await importBarFile(pool, file('rt.csv', [HEADER, ...bars].join('\n')));
    const before = await stored('RT.X', 2, 1);
    const out = new PassThrough();
    let csv = '';
    out.on('data', (d: Buffer) => {
      csv += d.toString();
    });
    const exported = await exportBars(pool, { contractId: 'RT.X', timeframe: parseTimeframe('1m') }, out);
    expect(exported).toBe(200);
    expect(csv.split('\n')[0]).toBe(HEADER);
    expect(csv.split('\n')[1]).toMatch(/^RT\.X,2025-03-17 14:00:00\+00:00,0\.30000000000000004,/);
    await pool.query('TRUNCATE ohlc_bars');
    const report = await importBarFile(pool, file('exported.csv', csv));
    expect(report.errors).toEqual([]);
    expect(await stored('RT.X', 2, 1)).toEqual(before);
  });

  it('quotes a contract id with a comma, and import reads it back', async () => {
    await importBarFile(pool, file('comma.csv', [HEADER, row('"A,B"', T0, 1, 2, 1, 1.5, 3, 2, 1)].join('\n')));
    const out = new PassThrough();
    let csv = '';
    out.on('data', (d: Buffer) => {
      csv += d.toString();
    });
    expect(await exportBars(pool, { contractId: 'A,B', timeframe: parseTimeframe('1m') }, out)).toBe(1);
    expect(csv.split('\n')[1]).toBe('"A,B",2025-03-17 14:00:00+00:00,1,2,1,1.5,3,2,1');
    await pool.query('TRUNCATE ohlc_bars');
    expect(await importBarFile(pool, file('comma-exported.csv', csv))).toMatchObject({ committed: true, errors: [] });
    expect(await stored('A,B', 2, 1)).toEqual([[T0, 1, 2, 1, 1.5, 3]]);
  });

  it('limits to [from, to) and to closed bars', async () => {
    await importBarFile(
      pool,
      file('five.csv', [HEADER, ...Array.from({ length: 5 }, (_, i) => row('E.X', T0 + i * 60_000, 1, 2, 1, 1, 1, 2, 1))].join('\n')),
    );
    await pool.query(`UPDATE ohlc_bars SET is_closed = false WHERE "timestamp" = $1`, [new Date(T0 + 4 * 60_000)]);
    const out = new PassThrough();
    let csv = '';
    out.on('data', (d: Buffer) => {
      csv += d.toString();
    });
    expect(
      await exportBars(pool, { contractId: 'E.X', timeframe: parseTimeframe('1m'), from: T0 + 60_000, to: T0 + 3 * 60_000 }, out),
    ).toBe(2);
    expect(await exportBars(pool, { contractId: 'E.X', timeframe: parseTimeframe('1m'), from: T0 + 3 * 60_000 }, new PassThrough())).toBe(
      1,
    );
    expect(
      csv
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[1]),
    ).toEqual(['2025-03-17 14:01:00+00:00', '2025-03-17 14:02:00+00:00']);
  });
});
