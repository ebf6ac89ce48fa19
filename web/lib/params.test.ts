import { ValidationError } from '@barstream/core';
import { describe, expect, it } from 'vitest';
import { MAX_LIMIT, OHLC_DEFAULT_LIMIT, parseOhlcQuery, parseTrendStartsQuery } from './params.ts';

const q = (s: string) => new URLSearchParams(s);

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.field;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('parseOhlcQuery', () => {
  it('reads either timeframe form, ISO or epoch-ms times, and defaults the limit', () => {
    const a = parseOhlcQuery(q('contract_id=SIM.MES&timeframe=5m&from=2025-06-02T14:00:00Z&to=1748880000000'));
    expect(a).toEqual({
      contractId: 'SIM.MES', timeframe: { unit: 2, value: 5 }, limit: OHLC_DEFAULT_LIMIT,
      from: new Date('2025-06-02T14:00:00Z'), to: new Date(1748880000000),
    });
    expect(parseOhlcQuery(q('contract_id=X&timeframe_unit=3&timeframe_value=4&limit=7'))).toMatchObject({
      timeframe: { unit: 3, value: 4 }, limit: 7,
    });
    expect(parseOhlcQuery(q('contract_id=X&timeframe=1h&from=2025-06-02T10:00')).from).toEqual(new Date('2025-06-02T10:00:00Z'));
  });

  it('names the offending field', () => {
    expect(fieldOf(() => parseOhlcQuery(q('timeframe=5m')))).toBe('contract_id');
    expect(fieldOf(() => parseOhlcQuery(q('contract_id=X')))).toBe('timeframe');
    expect(fieldOf(() => parseOhlcQuery(q('contract_id=X&timeframe=5q')))).toBe('timeframe');
    expect(fieldOf(() => parseOhlcQuery(q('contract_id=X&timeframe_unit=7&timeframe_value=1')))).toBe('timeframe_unit');
    expect(fieldOf(() => parseOhlcQuery(q('contract_id=X&timeframe=5m&timeframe_unit=2&timeframe_value=1')))).toBe('timeframe');
    expect(fieldOf(() => parseOhlcQuery(q(`contract_id=X&timeframe=5m&limit=${MAX_LIMIT + 1}`)))).toBe('limit');
    expect(fieldOf(() => parseOhlcQuery(q('contract_id=X&timeframe=5m&limit=-1')))).toBe('limit');
    expect(fieldOf(() => parseOhlcQuery(q('contract_id=X&timeframe=5m&from=2025-02-30')))).toBe('from');
    expect(fieldOf(() => parseOhlcQuery(q('contract_id=X&timeframe=5m&to=soon')))).toBe('to');
    expect(fieldOf(() => parseOhlcQuery(q('contract_id=X&timeframe=5m&from=2025-06-03&to=2025-06-01')))).toBe('from');
    expect(fieldOf(() => parseOhlcQuery(q('contract_id=a%20b&timeframe=5m')))).toBe('contract_id');
  });
});

describe('parseTrendStartsQuery', () => {
  it('defaults the analyzer to the trend finder', () => {
    expect(parseTrendStartsQuery(q('contract_id=X&timeframe=5m')).analyzerId).toBe('cus_cds_trend_finder');
    expect(fieldOf(() => parseTrendStartsQuery(q('contract_id=X&timeframe=5m&analyzer_id=a%20b')))).toBe('analyzer_id');
  });
});
