import { describe, expect, it } from 'vitest';
import { formatTrendLabelCsv, parseTrendLabelCsv, type TrendLabelCsvRow } from './trend-label-csv.ts';

const rows: TrendLabelCsvRow[] = [
  {
    contractId: 'SIM.MES',
    timeframe: '5m',
    time: Date.UTC(2025, 2, 17, 14),
    labelType: 'uptrend_start',
    author: 'ann, "the" trader',
    createdAt: Date.UTC(2025, 2, 18, 9, 0, 0, 250),
  },
  { contractId: 'SIM.MES', timeframe: '5m', time: Date.UTC(2025, 2, 17, 15, 5), labelType: 'downtrend_start', author: '', createdAt: null },
];

describe('trend-label CSV', () => {
  it('writes a header and quoted fields, and reads the same rows back', () => {
    const csv = formatTrendLabelCsv(rows);
    expect(csv.split('\n')[0]).toBe('contract_id,timeframe,timestamp,label_type,author,created_at');
    expect(csv.split('\n')[1]).toBe(
      'SIM.MES,5m,2025-03-17 14:00:00+00:00,uptrend_start,"ann, ""the"" trader",2025-03-18 09:00:00.250+00:00',
    );
    expect(parseTrendLabelCsv(csv)).toEqual({ rows: rows.map((r, i) => ({ ...r, line: i + 2 })), errors: [] });
  });

  it('takes files without author and created_at, with columns in any order and fields trimmed', () => {
    const parsed = parseTrendLabelCsv('label_type,timestamp,timeframe,contract_id\r\nuptrend_start,2025-03-17T14:00:00Z, 5m ,X\r\n');
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toEqual([
      {
        line: 2,
        contractId: 'X',
        timeframe: '5m',
        time: Date.UTC(2025, 2, 17, 14),
        labelType: 'uptrend_start',
        author: '',
        createdAt: null,
      },
    ]);
  });

  it('names the line and the column of each bad row', () => {
    const parsed = parseTrendLabelCsv(
      [
        'contract_id,timeframe,timestamp,label_type',
        'X,5m,2025-03-17 14:00:00+00:00,sideways',
        'X,5q,2025-03-17 14:00:00+00:00,uptrend_start',
        'X,5m,yesterday,uptrend_start',
        'a b,5m,2025-03-17 14:00:00+00:00,uptrend_start',
        'X,5m',
        '',
        'X,5m,2025-03-17 14:00:00+00:00,downtrend_start',
        'X,5m,2025-03-17T14:00:00Z,uptrend_start',
      ].join('\n'),
    );
    expect(parsed.rows).toHaveLength(1);
    expect(parsed.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 9]);
    expect(parsed.errors[0]?.reason).toMatch(/^label_type: must be uptrend_start or downtrend_start/);
    expect(parsed.errors[1]?.reason).toMatch(/^timeframe: '5q' is not a timeframe/);
    expect(parsed.errors[2]?.reason).toMatch(/^timestamp: 'yesterday'/);
    expect(parsed.errors[3]?.reason).toMatch(/^contract_id:/);
    expect(parsed.errors[4]?.reason).toBe('expected 4 fields, found 2');
    expect(parsed.errors[5]?.reason).toBe("timestamp: line 8 already labels this bar for author ''");
  });

  it('says which required columns the header lacks', () => {
    expect(parseTrendLabelCsv('contract_id,timestamp\nX,2025-01-01 00:00:00').errors).toEqual([
      { line: 1, reason: 'header lacks column(s) timeframe, label_type' },
    ]);
  });
});
