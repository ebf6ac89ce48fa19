// Import and export of bar CSVs on a real PostgreSQL: bad rows by line (nothing committed unless
// skipped), Binance kline files (ms and µs), export → import round trip, bars_imported per series,
// and the real MES files read back bar for bar.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ContractBar, parseTimeframe } from '../../core/src/index.ts';
import { parseBarCsv } from '../../core/src/node/csv/bar-csv.ts';
import type { Pool } from '../../core/src/node/db-pool.ts';
import { exportBars } from '../../scripts/lib/history/bar-export.ts';
import { ImportFileError, importBarFile } from '../../scripts/lib/history/bar-file-import.ts';
import { eventually } from '../support/eventually.ts';
import { historyPool } from '../../scripts/lib/history/history-database.ts';
import { parseImportArgs } from '../../scripts/lib/history/import-args.ts';
import { runImport } from '../../scripts/lib/history/import-command.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import { hasSharedData, MES_DIR } from '../support/shared-data.ts';
import { ChannelListener } from '../support/channel-listener.ts';
import { capturedOutput } from '../support/captured-output.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const HEADER = 'contract_id,timestamp,open,high,low,close,volume,timeframe_unit,timeframe_value';
const T0 = Date.parse('2025-03-17T14:00:00Z');

let db: TestDatabase;
let pool: Pool;
let dir: string;

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const stamp = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ') + '+00:00';
const row = (contract: string, ms: number, o: number, h: number, l: number, c: number, v: number, unit = 2, value = 5): string =>
  `${contract},${stamp(ms)},${o},${h},${l},${c},${v},${unit},${value}`;

async function stored(contractId: string, unit: number, value: number): Promise<Array<[number, number, number, number, number, number]>> {
  const { rows } = await pool.query<{ t: number; open: number; high: number; low: number; close: number; volume: number }>(
    `SELECT (extract(epoch FROM "timestamp") * 1000)::float8 AS t, open, high, low, close, volume FROM ohlc_bars
      WHERE contract_id = $1 AND timeframe_unit = $2 AND timeframe_value = $3 AND is_closed ORDER BY 1`,
    [contractId, unit, value],
  );
  return rows.map((r) => [r.t, r.open, r.high, r.low, r.close, r.volume]);
}

const count = async (): Promise<number> => (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ohlc_bars')).rows[0]!.n;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = historyPool(db.url);
  dir = mkdtempSync(join(tmpdir(), 'barstream-import-'));
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await pool.query('TRUNCATE ohlc_bars');
});

describe('import of the barstream (origin) layout', () => {
  const lines = [
    HEADER,
    row('X.MES', T0, 5000, 5002, 4999, 5001, 10),
    row('X.MES', T0 + 300_000, 5001, 5003, 5000, 5002.25, 11),
    row('X.MES', T0 + 600_000, 5002, 5001, 5000, 5001, 12), // high below open
    'X.MES,not a time,1,1,1,1,1,2,5',
    row('X.MES', T0 + 900_000, 5002, 5004, 5001, 5003, -1), // negative volume
    row('X.MES', T0 + 300_000, 5001, 5003, 5000, 5002.5, 11), // second row for the bar of line 3
    row('X.MES', T0 + 1_200_000, 5003, 5005, 5002, 5004, 13),
  ];

  it('reports every bad row with its line number and reason, and commits nothing', async () => {
    const report = await importBarFile(pool, file('bad.csv', `${lines.join('\n')}\n`));
    expect(report.committed).toBe(false);
    expect(report.errors.map((e) => e.line)).toEqual([4, 5, 6, 7]);
    expect(report.errors[0]?.reason).toMatch(/high 5001 \/ low 5000 do not contain open 5002/);
    expect(report.errors[1]?.reason).toMatch(/timestamp 'not a time' is not a date-time/);
    expect(report.errors[2]?.reason).toMatch(/volume -1 is negative/);
    expect(report.errors[3]?.reason).toBe('duplicate of line 3 (X.MES 5m 2025-03-17T14:05:00.000Z)');
    expect(await count()).toBe(0);
  });

  it('with --skip-bad-rows writes the good rows and still lists the bad ones', async () => {
    const report = await importBarFile(pool, file('bad.csv', `${lines.join('\n')}\n`), { skipBadRows: true });
    expect(report.committed).toBe(true);
    expect(report.errors).toHaveLength(4);
    expect(await stored('X.MES', 2, 5)).toEqual([
      [T0, 5000, 5002, 4999, 5001, 10],
      [T0 + 300_000, 5001, 5003, 5000, 5002.25, 11],
      [T0 + 1_200_000, 5003, 5005, 5002, 5004, 13],
    ]);
  });

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

  it('overrides the contract id with --contract and refuses --timeframe for this layout', async () => {
    const path = file('one.csv', [HEADER, row('X.MES', T0, 5000, 5002, 4999, 5001, 10)].join('\n'));
    await importBarFile(pool, path, { contract: 'OTHER' });
    expect(await stored('OTHER', 2, 5)).toHaveLength(1);
    await expect(importBarFile(pool, path, { timeframe: parseTimeframe('1m') })).rejects.toBeInstanceOf(ImportFileError);
  });
});

describe("import of a spreadsheet's CSV (quoted fields, CRLF, a BOM, its own column order)", () => {
  const SHEET_HEADER = '\uFEFF"volume","timestamp","contract_id","open","high","low","close","timeframe_value","timeframe_unit"';

  it('reads it on the general path and stores what the plain file stores', async () => {
    const text = [
      SHEET_HEADER,
      `"1.5","${stamp(T0)}","Q,X ""odd""","10","11","9","10.5","5","2"`,
      `2,${stamp(T0 + 300_000)},"Q,X ""odd""",10,12,9,11,5,2`,
      '',
    ].join('\r\n');
    const report = await importBarFile(pool, file('sheet.csv', text));
    expect(report).toMatchObject({ format: 'barstream', committed: true, errors: [], barCount: 2 });
    expect(await stored('Q,X "odd"', 2, 5)).toEqual([
      [T0, 10, 11, 9, 10.5, 1.5],
      [T0 + 300_000, 10, 12, 9, 11, 2],
    ]);
  });

  it('names a row it cannot read by its line and commits nothing', async () => {
    const text = [
      SHEET_HEADER,
      `1,"${stamp(T0)}",A,10,11,9,10.5,5,2`,
      `1,"${stamp(T0 + 300_000)}",A"B,10,11,9,10.5,5,2`,
      `1,${stamp(T0 + 600_000)},A,10,11,9,10.5,5`,
    ].join('\r\n');
    const report = await importBarFile(pool, file('sheet-bad.csv', text));
    expect(report.committed).toBe(false);
    expect(report.errors).toEqual([
      { line: 3, reason: expect.stringMatching(/^Invalid Opening Quote: a quote is found on field 2/) as unknown },
      { line: 4, reason: 'expected 9 fields, found 8' },
    ]);
    expect(await count()).toBe(0);
  });
});

describe('npm run import (the command)', () => {
  async function runCli(argv: string[]) {
    const { stdout, stderr, text } = capturedOutput();
    const settings = parseSettings({
      database: { url: db.url },
      contracts: [{ id: 'SIM.MES', provider: 'simulated', symbol: 'SIM.MES', tick_size: 0.25, session_calendar: 'utc' }],
      ingester: { contracts: ['SIM.MES'] },
    });
    const code = await runImport(parseImportArgs(argv), { settings, rootDir: process.cwd(), stdout, stderr });
    return { code, out: text.out, err: text.err };
  }

  it('imports good files, refuses bad ones with their lines listed, and exits 1 if any file was not written', async () => {
    const good = file('good.csv', [HEADER, row('C.X', T0, 10, 11, 9, 10.5, 1)].join('\n'));
    const bad = file(
      'broken.csv',
      [HEADER, row('C.X', T0 + 300_000, 10, 11, 9, 10.5, 1), 'C.X,2025-03-17 14:10:00+00:00,10,11,9,10.5,1,2'].join('\n'),
    );
    const result = await runCli([good, bad, join(dir, 'missing.csv')]);
    expect(result.code).toBe(1);
    const lines = result.out.trim().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^${good.replace(/[.\\/]/g, '\\$&')} \\(barstream\\): 1 bars → inserted 1, updated 0, unchanged 0 in `),
    );
    expect(lines[1]).toBe(`${bad} (barstream): 1 bad row(s); nothing written (fix the file, or pass --skip-bad-rows to write the other 1)`);
    expect(lines[2]).toBe('  line 3: expected 9 fields, found 8');
    expect(result.err.trim().split('\n')).toEqual([`file not found: ${join(dir, 'missing.csv')}`]);
    expect(await count()).toBe(1);
    expect((await runCli([bad, '--skip-bad-rows'])).code).toBe(0);
    expect(await count()).toBe(2);
  });
});

describe('import of Binance kline files', () => {
  const kline = (openTime: number, close: string, scale = 1): string =>
    `${openTime * scale},100.5,101.25,99.75,${close},12.5,${(openTime + 59_999) * scale},1256.25,42,6.25,628.1,0`;
  const M0 = Date.parse('2025-01-01T00:00:00Z');

  it('reads symbol and interval from the file name, and microsecond open times (2025+ dumps)', async () => {
    const text = Array.from({ length: 3 }, (_, i) => kline(M0 + i * 60_000, '100.75', 1000)).join('\n');
    const report = await importBarFile(pool, file('BTCUSDT-1m-2025-01.csv', `${text}\n`));
    expect(report).toMatchObject({ format: 'binance', committed: true, errors: [] });
    expect(await stored('BTCUSDT', 2, 1)).toEqual([0, 1, 2].map((i) => [M0 + i * 60_000, 100.5, 101.25, 99.75, 100.75, 12.5]));
  });

  it('takes millisecond files with --contract and --timeframe, and rejects rows that do not fit the interval', async () => {
    const text = [kline(M0, '100.75'), kline(M0 + 30_000, '100.75'), kline(M0 + 300_000, '102'), 'abc,1,1,1,1,1'].join('\n');
    const path = file('klines.csv', text);
    await expect(importBarFile(pool, path)).rejects.toThrow(/needs its symbol and interval/);
    const report = await importBarFile(pool, path, { contract: 'ETHUSDT', timeframe: parseTimeframe('5m') });
    expect(report.committed).toBe(false);
    expect(report.errors).toEqual([
      { line: 2, reason: 'openTime 1735689630000 is not on a 5m boundary' },
      { line: 3, reason: 'high 101.25 / low 99.75 do not contain open 100.5 and close 102' },
      { line: 4, reason: "openTime 'abc' is not an epoch time in ms or µs" },
    ]);
    expect(await count()).toBe(0);
  });
});

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
