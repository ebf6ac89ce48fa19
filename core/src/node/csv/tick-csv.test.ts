import { describe, expect, it } from 'vitest';
import { parseTickCsv } from './tick-csv.ts';

const T = Date.parse('2025-01-02T14:30:00Z');

describe('parseTickCsv', () => {
  it('reads the columns by name in any order, quoted fields, CRLF and a BOM; trades come back in time order', () => {
    const text =
      '\uFEFFprice,side,timestamp,"contract_id",volume\r\n' +
      '"5000.25",buy,2025-01-02 14:30:01+00:00,"MES,Q",2\r\n' +
      '5000,sell,2025-01-02T14:30:00Z,MES,1\r\n' +
      '5000.5,,2025-01-02 14:30:02,MES,0\r\n';
    const { trades, errors } = parseTickCsv(text);
    expect(errors).toEqual([]);
    expect(trades).toEqual([
      { contractId: 'MES', time: T, price: 5000, volume: 1, side: 'sell' },
      { contractId: 'MES,Q', time: T + 1000, price: 5000.25, volume: 2, side: 'buy' },
      { contractId: 'MES', time: T + 2000, price: 5000.5, volume: 0, side: 'unknown' },
    ]);
  });

  it('names each bad row by its line, and a header without the needed columns', () => {
    const text = [
      'contract_id,timestamp,price,volume',
      'MES,2025-01-02 14:30:00,-1,1',
      'MES,2025-01-02 14:30:00,1,',
      'MES,noon,1,1',
      'MES,2025-01-02 14:30:00,1',
      '"MES,2025-01-02 14:30:00,1,1',
      '',
    ].join('\n');
    expect(parseTickCsv(text).errors).toEqual([
      { line: 2, reason: "price '-1' is not a positive number" },
      { line: 3, reason: "volume '' is not a non-negative number" },
      { line: 4, reason: "timestamp 'noon' is not a date-time" },
      { line: 5, reason: 'expected 4 fields, found 3' },
      { line: 6, reason: expect.stringMatching(/^Quote Not Closed/) as unknown },
    ]);
    expect(parseTickCsv('time,price\n1,2').errors).toEqual([
      { line: 1, reason: 'tick CSV needs columns contract_id,timestamp,price,volume[,side]' },
    ]);
    expect(parseTickCsv('timestamp,price,volume\n2025-01-02 14:30:00,1,1', 'SIM').trades[0]?.contractId).toBe('SIM');
  });
});
