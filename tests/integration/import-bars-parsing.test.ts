// Reading bar CSVs into a real PostgreSQL: every bad row reported by its line (nothing committed unless
// skipped), the barstream layout and its options, a spreadsheet's CSV on the general path, and Binance
// kline files (ms and µs).
import { describe, expect, it } from 'vitest';
import { parseTimeframe } from '../../core/src/index.ts';
import { ImportFileError, importBarFile } from '../../scripts/lib/history/bar-file-import.ts';
import { count, file, HEADER, pool, row, stamp, stored, T0, useBarImportFixture } from '../support/bar-import-fixture.ts';

useBarImportFixture();

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
