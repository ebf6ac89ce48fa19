import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimeframe } from '../../timeframe.ts';
import { klineSeriesFromFileName, looksLikeKlineCsv, parseKlineCsv } from './kline-csv.ts';

const series = { contractId: 'BTCUSDT', timeframe: parseTimeframe('1m') };
const T = Date.parse('2025-01-01T00:00:00Z');

describe('Binance kline CSV', () => {
  it('names its series from data.binance.vision file names, months kept apart from minutes', () => {
    expect(klineSeriesFromFileName('/data/BTCUSDT-1m-2024-01.csv')).toEqual({ contractId: 'BTCUSDT', timeframe: { unit: 2, value: 1 } });
    expect(klineSeriesFromFileName('ETHUSDT-4h-2024-01-15.csv')).toEqual({ contractId: 'ETHUSDT', timeframe: { unit: 3, value: 4 } });
    expect(klineSeriesFromFileName('ETHUSDT-1M-2024-01.csv')).toEqual({ contractId: 'ETHUSDT', timeframe: { unit: 6, value: 1 } });
    expect(klineSeriesFromFileName('klines.csv')).toBeUndefined();
  });

  it('tells its rows (or its optional header) from the barstream layout', () => {
    expect(looksLikeKlineCsv(`${T},1,1,1,1,1,${T + 59_999},0,1,0,0,0`)).toBe(true);
    expect(looksLikeKlineCsv('open_time,open,high,low,close,volume,close_time')).toBe(true);
    expect(looksLikeKlineCsv('contract_id,timestamp,open,high,low,close,volume,timeframe_unit,timeframe_value')).toBe(false);
  });

  it('reads milliseconds and microseconds alike, CRLF too, skipping a header', () => {
    const text = `open_time,open,high,low,close,volume\r\n${T},10,11,9,10.5,2.25,${T + 59_999}\r\n${(T + 60_000) * 1000},10.5,12,10,11,0,${(T + 119_999) * 1000}\r\n`;
    const parsed = parseKlineCsv(text, series);
    expect(parsed.errors).toEqual([]);
    expect(parsed.bars.map((b) => [b.time, b.open, b.high, b.low, b.close, b.volume])).toEqual([
      [T, 10, 11, 9, 10.5, 2.25],
      [T + 60_000, 10.5, 12, 10, 11, 0],
    ]);
  });

  it('reports each bad row by line: short rows, blank and non-numeric fields, impossible bars, sub-millisecond times', () => {
    const rows = [`${T},10,11,9`, `${T},10,,9,10,1`, `${T},10,11,9,10,x`, `${T},-1,11,9,10,1`, `${T * 1000 + 1},10,11,9,10,1`];
    expect(parseKlineCsv(rows.join('\n'), series).errors).toEqual([
      { line: 1, reason: 'expected at least 6 fields (openTime,open,high,low,close,volume,…), found 4' },
      { line: 2, reason: "high '' is not a number" },
      { line: 3, reason: "volume 'x' is not a number" },
      { line: 4, reason: 'open -1 is not a positive number' },
      { line: 5, reason: 'time 1735689600000.001 is not a whole number of milliseconds' },
    ]);
  });
});

describe('Binance kline CSV, rows read in place and rows read by the general checks', () => {
  it('reads every spelling Number() reads, to the same value', () => {
    const spellings = ['10', '10.5', ' 10.5', '10.5 ', '1.05e1', '10.50000000000000000001', '0.30000000000000004', '.5e2', '0x10', '10.'];
    const rows = spellings.map((s, i) => `${T + i * 60_000},${s},1000,0.01,${s},${s},${T + i * 60_000 + 59_999}`);
    const parsed = parseKlineCsv(rows.join('\n'), series);
    expect(parsed.errors).toEqual([]);
    expect(parsed.bars.map((b) => [b.open, b.close, b.volume])).toEqual(spellings.map((s) => [Number(s), Number(s), Number(s)]));
  });

  it('reads 16-digit microsecond open times exactly, and gives the same reasons whichever way a row is read', () => {
    const micros = 1_735_689_600_000_000;
    const parsed = parseKlineCsv(
      [
        `${micros},1,2,0.5,1.5,3`,
        `${micros + 60_000_000},1,2,0.5,1.5`,
        `${micros + 120_000_000},1,2,0.5,1.5, 3`,
        `${micros + 180_000_000},1,0.9,0.5,1.5,3`,
      ].join('\r\n'),
      series,
    );
    expect(parsed.bars.map((b) => b.time)).toEqual([T, T + 120_000]);
    expect(parsed.errors).toEqual([
      { line: 2, reason: 'expected at least 6 fields (openTime,open,high,low,close,volume,…), found 5' },
      { line: 4, reason: 'high 0.9 / low 0.5 do not contain open 1 and close 1.5' },
    ]);
  });
});

describe('Binance kline CSV, the fast path and the general path', () => {
  const time = fc.constantFrom(`${T}`, `${T + 60_000}`, `${(T + 120_000) * 1000}`, `${T + 1}`, '', 'x', ' 1', `${T}.5`);
  const number = fc.constantFrom('10', '10.5', ' 10.5', '', '0', '-1', 'abc', '1e1', '0x10', '11', '9', '1000', '0.01');
  const row = fc.oneof(
    fc.tuple(time, number, number, number, number, number).map((f) => [...f, `${T + 59_999}`, '0', '1']),
    fc.tuple(time, number, number).map((f) => [...f]),
    fc.constant(['']),
    fc.constant(['open_time', 'open', 'high', 'low', 'close', 'volume']),
  );
  const rows = fc.array(row, { maxLength: 12 });

  it('give the same bars and the same bad rows for the same file, with CRLF or LF and a BOM or not', () => {
    fc.assert(
      fc.property(rows, fc.constantFrom('\n', '\r\n'), fc.boolean(), (records, newline, bom) => {
        const text = (bom ? '\uFEFF' : '') + records.map((r) => r.join(',')).join(newline);
        const general = parseKlineCsv(text, series, 'general');
        expect(parseKlineCsv(text, series, 'fast')).toEqual(general);
      }),
      { numRuns: 500 },
    );
  });

  it('read a file with quoted fields as the same file unquoted', () => {
    fc.assert(
      fc.property(rows, fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }), (records, quote) => {
        const plain = records.map((r) => r.join(',')).join('\n');
        const quoted = records.map((r) => (r.length === 1 ? r : r.map((f, i) => (quote[i] ? `"${f}"` : f))).join(',')).join('\n');
        expect(parseKlineCsv(quoted, series)).toEqual(parseKlineCsv(plain, series, 'fast'));
      }),
      { numRuns: 500 },
    );
  });

  it('tells a quoted or BOM-led kline file from the barstream layout', () => {
    expect(looksLikeKlineCsv(`\uFEFF${T},1,1,1,1,1`)).toBe(true);
    expect(looksLikeKlineCsv(`"${T}","1","1","1","1","1"`)).toBe(true);
  });
});
