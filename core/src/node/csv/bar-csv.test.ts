import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BarCsvReader, type ParsedBarCsv, parseBarCsv } from './bar-csv.ts';
import type { CsvPath } from './csv-records.ts';

describe('parseBarCsv', () => {
  it('reads the origin layout with or without the leading id', () => {
    const withId =
      'id,contract_id,timestamp,open,high,low,close,volume,timeframe_unit,timeframe_value\n' +
      '7,CON.F.US.MES.M25,2025-03-16 22:00:00+00:00,5679.75,5684.0,5675.25,5678.25,2177.0,2,5\n';
    const plain =
      'contract_id,timestamp,open,high,low,close,volume,timeframe_unit,timeframe_value\r\n' +
      'BTCUSDT,2025-03-16T22:00:00Z,1,2,0.5,1.5,0.125,2,1\r\n';
    expect(parseBarCsv(withId).bars[0]).toMatchObject({
      contractId: 'CON.F.US.MES.M25',
      time: Date.parse('2025-03-16T22:00:00Z'),
      close: 5678.25,
      unit: 2,
      value: 5,
    });
    expect(parseBarCsv(plain).bars[0]).toMatchObject({ contractId: 'BTCUSDT', volume: 0.125, unit: 2, value: 1 });
  });

  it('reports each bad row with its line number and reason', () => {
    const text = [
      'contract_id,timestamp,open,high,low,close,volume,timeframe_unit,timeframe_value',
      'A,2025-01-01 00:00:00,1,2,0.5,1.5,10,2,1',
      'A,yesterday,1,2,0.5,1.5,10,2,1',
      'A,2025-01-01 00:01:00,1,0.9,0.5,1.5,10,2,1',
      'A,2025-01-01 00:02:00,1,2,0.5,1.5,-1,2,1',
      'A,2025-01-01 00:03:00,1,2,0.5,abc,10,2,1',
      'A,2025-01-01 00:04:00,1,2,0.5,1.5,10,9,1',
      'A,2025-01-01 00:05:00,1,2,0.5',
    ].join('\n');
    const { bars, errors } = parseBarCsv(text);
    expect(bars).toHaveLength(1);
    expect(errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(errors[0]?.reason).toMatch(/timestamp 'yesterday'/);
    expect(errors[1]?.reason).toMatch(/high 0.9/);
    expect(errors[2]?.reason).toMatch(/volume -1/);
    expect(errors[3]?.reason).toMatch(/close 'abc'/);
    expect(errors[4]?.reason).toMatch(/timeframe_unit 9/);
    expect(errors[5]?.reason).toMatch(/expected 9 fields/);
  });

  it('rejects a file without the required header', () => {
    expect(parseBarCsv('a,b,c\n1,2,3').errors[0]).toEqual({
      line: 1,
      reason: expect.stringMatching(/lacks column\(s\) contract_id/) as unknown,
    });
  });

  it('checks rows by hand exactly as the schema does: same bars, same reasons', () => {
    const read = (text: string, handChecks: boolean): ParsedBarCsv & { lines: number[] } => {
      const reader = new BarCsvReader(text, { handChecks });
      const all = { bars: [] as ParsedBarCsv['bars'], errors: [] as ParsedBarCsv['errors'], lines: [] as number[] };
      for (let piece = reader.next(3); piece; piece = reader.next(3)) {
        all.bars.push(...piece.bars);
        all.errors.push(...piece.errors);
        all.lines.push(...piece.lines);
      }
      return all;
    };
    // Each field drawn from good and bad spellings, so rows fail any rule, several at once, or none.
    const number = fc.constantFrom('1', '2', '0.5', '1.5', ' 2 ', '', ' ', '0', '-1', 'abc', '1e3', 'Infinity', '0x2', '3.25');
    const row = fc
      .tuple(
        fc.constantFrom('A', ' B.X ', '', ' ', 'x'.repeat(101)),
        fc.constantFrom('2025-01-01 00:00:00', '2025-01-01T00:01:00Z', ' 2025-01-01 00:02:00+01:00 ', 'yesterday', ''),
        number,
        number,
        number,
        number,
        number,
        fc.constantFrom('1', '2', '6', '7', '0', '2.5', 'm', ''),
        fc.constantFrom('1', '5', '0', '-5', '1.5', ''),
      )
      .map((fields) => fields.join(','));
    fc.assert(
      fc.property(fc.array(fc.oneof(row, fc.constant(''), fc.constant('A,1,2')), { maxLength: 12 }), (rows) => {
        const text = ['contract_id,timestamp,open,high,low,close,volume,timeframe_unit,timeframe_value', ...rows].join('\n');
        expect(read(text, true)).toEqual(read(text, false));
      }),
      { numRuns: 2_000 },
    );
  });

  it('reads quoted fields, CRLF, a BOM and the columns in another order (the general path)', () => {
    const text =
      '\uFEFFtimeframe_value,"contract_id",timestamp,open,high,low,close,volume,timeframe_unit\r\n' +
      '5,"CON.F.US.MES.M25","2025-03-16 22:00:00+00:00","5679.75",5684,5675.25,5678.25,2177,2\r\n' +
      '1,"ODD,ID ""Q""",2025-03-16T22:00:00Z,1,2,0.5,1.5,0.125,2\r\n';
    const { bars, errors } = parseBarCsv(text);
    expect(errors).toEqual([]);
    expect(bars).toEqual([
      {
        contractId: 'CON.F.US.MES.M25',
        time: Date.parse('2025-03-16T22:00:00Z'),
        open: 5679.75,
        high: 5684,
        low: 5675.25,
        close: 5678.25,
        volume: 2177,
        unit: 2,
        value: 5,
        isClosed: true,
      },
      {
        contractId: 'ODD,ID "Q"',
        time: Date.parse('2025-03-16T22:00:00Z'),
        open: 1,
        high: 2,
        low: 0.5,
        close: 1.5,
        volume: 0.125,
        unit: 2,
        value: 1,
        isClosed: true,
      },
    ]);
  });

  it('names bad rows by their first line on the general path too, a multi-line record counting all its lines', () => {
    const text = [
      'contract_id,timestamp,open,high,low,close,volume,timeframe_unit,timeframe_value',
      '"A\nB",2025-01-01 00:00:00,1,2,0.5,1.5,10,2,1',
      'A,2025-01-01 00:01:00,1,2,0.5,abc,10,2,1',
      'A,2025-01-01 00:02:00,1,2,0.5,1.5,10,2,1"x',
      'A,2025-01-01 00:03:00,1,2,0.5,1.5,10,2',
    ].join('\r\n');
    const { bars, errors } = parseBarCsv(text);
    expect(bars.map((b) => b.contractId)).toEqual(['A\nB']);
    expect(errors).toEqual([
      { line: 4, reason: "close 'abc' is not a number" },
      { line: 5, reason: expect.stringMatching(/^Invalid Opening Quote/) as unknown },
      { line: 6, reason: 'expected 9 fields, found 8' },
    ]);
  });

  describe('the fast path and the general path', () => {
    const HEADER = 'contract_id,timestamp,open,high,low,close,volume,timeframe_unit,timeframe_value';
    const number = fc.constantFrom('1', '2', '0.5', '1.5', ' 2 ', '', ' ', '0', '-1', 'abc', '1e3', 'Infinity', '3.25');
    const fields = fc.tuple(
      fc.constantFrom('A', ' B.X ', '', ' ', 'x'.repeat(101)),
      fc.constantFrom('2025-01-01 00:00:00', '2025-01-01T00:01:00Z', ' 2025-01-01 00:02:00+01:00 ', 'yesterday', ''),
      number,
      number,
      number,
      number,
      number,
      fc.constantFrom('1', '2', '6', '7', '0', 'm', ''),
      fc.constantFrom('1', '5', '0', '1.5', ''),
    );
    const rows = fc.array(
      fc.oneof(
        fields.map((f) => [...f]),
        fc.constant(['']),
        fc.constant(['A', '1', '2']),
      ),
      { maxLength: 12 },
    );
    const read = (text: string, path: CsvPath) => parseBarCsv(text, path);
    /** RFC 4180 quoting of a field: what any spreadsheet may write. */
    const quoted = (f: string) => `"${f.replace(/"/g, '""')}"`;

    it('give the same bars and the same bad rows for the same file', () => {
      fc.assert(
        fc.property(rows, fc.constantFrom('\n', '\r\n'), fc.boolean(), (records, newline, bom) => {
          const text = (bom ? '\uFEFF' : '') + [HEADER, ...records.map((r) => r.join(','))].join(newline);
          const general = read(text, 'general');
          expect(read(text, 'fast')).toEqual(general);
          expect(read(text, 'auto')).toEqual(general);
        }),
        { numRuns: 500 },
      );
    });

    it('read a file with quoted fields as the same file unquoted', () => {
      fc.assert(
        fc.property(
          rows,
          fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }),
          fc.constantFrom('\n', '\r\n'),
          (records, quote, newline) => {
            const plain = [HEADER, ...records.map((r) => r.join(','))].join(newline);
            const spreadsheet = [
              HEADER,
              ...records.map((r) => (r.length === 1 ? r : r.map((f, i) => (quote[i] ? quoted(f) : f))).join(',')),
            ].join(newline);
            expect(read(spreadsheet, 'auto')).toEqual(read(plain, 'fast'));
          },
        ),
        { numRuns: 500 },
      );
    });
  });
});
