import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BarCsvReader, type ParsedBarCsv, parseBarCsv } from './bar-csv.ts';

describe('parseBarCsv', () => {
  it('reads the origin layout with or without the leading id', () => {
    const withId = 'id,contract_id,timestamp,open,high,low,close,volume,timeframe_unit,timeframe_value\n' +
      '7,CON.F.US.MES.M25,2025-03-16 22:00:00+00:00,5679.75,5684.0,5675.25,5678.25,2177.0,2,5\n';
    const plain = 'contract_id,timestamp,open,high,low,close,volume,timeframe_unit,timeframe_value\r\n' +
      'BTCUSDT,2025-03-16T22:00:00Z,1,2,0.5,1.5,0.125,2,1\r\n';
    expect(parseBarCsv(withId).bars[0]).toMatchObject({ contractId: 'CON.F.US.MES.M25', time: Date.parse('2025-03-16T22:00:00Z'), close: 5678.25, unit: 2, value: 5 });
    expect(parseBarCsv(plain).bars[0]).toMatchObject({ contractId: 'BTCUSDT', volume: 0.125, unit: 2, value: 1 });
  });

  it('reports each bad row with its line number and reason', () => {
    const text = ['contract_id,timestamp,open,high,low,close,volume,timeframe_unit,timeframe_value',
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
    expect(parseBarCsv('a,b,c\n1,2,3').errors[0]).toEqual({ line: 1, reason: expect.stringMatching(/lacks column\(s\) contract_id/) as unknown });
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
    const row = fc.tuple(fc.constantFrom('A', ' B.X ', '', ' ', 'x'.repeat(101)),
      fc.constantFrom('2025-01-01 00:00:00', '2025-01-01T00:01:00Z', ' 2025-01-01 00:02:00+01:00 ', 'yesterday', ''),
      number, number, number, number, number, fc.constantFrom('1', '2', '6', '7', '0', '2.5', 'm', ''), fc.constantFrom('1', '5', '0', '-5', '1.5', ''))
      .map((fields) => fields.join(','));
    fc.assert(fc.property(fc.array(fc.oneof(row, fc.constant(''), fc.constant('A,1,2')), { maxLength: 12 }), (rows) => {
      const text = ['contract_id,timestamp,open,high,low,close,volume,timeframe_unit,timeframe_value', ...rows].join('\n');
      expect(read(text, true)).toEqual(read(text, false));
    }), { numRuns: 2_000 });
  });
});
