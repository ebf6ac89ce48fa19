import { ValidationError } from '@barstream/core';
import { describe, expect, it } from 'vitest';
import { parseQuery } from './parse-query.ts';
import { MAX_LIMIT, OHLC_MAX_LIMIT } from './query-fields.ts';
import { apiRoutes, DEFAULT_INDICATORS, MAX_INDICATORS, OHLC_DEFAULT_LIMIT } from './routes.ts';

const q = (s: string) => new URLSearchParams(s);
const ohlc = (s: string) => parseQuery(apiRoutes.ohlc.query, q(s));

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.field;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('/api/ohlc parameters', () => {
  it('reads either timeframe form, ISO or epoch-ms times, and defaults the limit', () => {
    expect(ohlc('contract_id=SIM.MES&timeframe=5m&from=2025-06-02T14:00:00Z&to=1748880000000')).toEqual({
      contractId: 'SIM.MES',
      timeframe: { unit: 2, value: 5 },
      limit: OHLC_DEFAULT_LIMIT,
      from: new Date('2025-06-02T14:00:00Z'),
      to: new Date(1748880000000),
    });
    expect(ohlc('contract_id=X&timeframe_unit=3&timeframe_value=4&limit=7')).toMatchObject({ timeframe: { unit: 3, value: 4 }, limit: 7 });
    expect(ohlc('contract_id=X&timeframe=1h&from=2025-06-02T10:00').from).toEqual(new Date('2025-06-02T10:00:00Z'));
    expect(ohlc('contract_id=X&timeframe=1h&from=2025-06-02T10:00%2B02:00').from).toEqual(new Date('2025-06-02T08:00:00Z'));
    expect(ohlc(`contract_id=X&timeframe=5m&limit=${OHLC_MAX_LIMIT}`).limit).toBe(OHLC_MAX_LIMIT);
  });

  it('allows more bars than the other routes allow rows (answers past MAX_LIMIT are streamed)', () => {
    expect(OHLC_MAX_LIMIT).toBeGreaterThan(MAX_LIMIT);
    expect(ohlc(`contract_id=X&timeframe=5m&limit=${MAX_LIMIT + 1}`).limit).toBe(MAX_LIMIT + 1);
    expect(fieldOf(() => parseQuery(apiRoutes.signals.query, q(`contract_id=X&timeframe=5m&limit=${MAX_LIMIT + 1}`)))).toBe('limit');
  });

  it('takes the first of repeated parameters and ignores empty ones', () => {
    expect(ohlc('contract_id=A&contract_id=B&timeframe=5m&from=').contractId).toBe('A');
  });

  it.each([
    ['timeframe=5m', 'contract_id'],
    ['contract_id=X', 'timeframe'],
    ['contract_id=X&timeframe=5q', 'timeframe'],
    ['contract_id=X&timeframe_unit=7&timeframe_value=1', 'timeframe_unit'],
    ['contract_id=X&timeframe_unit=2', 'timeframe_value'],
    ['contract_id=X&timeframe=5m&timeframe_unit=2&timeframe_value=1', 'timeframe'],
    [`contract_id=X&timeframe=5m&limit=${OHLC_MAX_LIMIT + 1}`, 'limit'],
    ['contract_id=X&timeframe=5m&limit=ten', 'limit'],
    ['contract_id=X&timeframe=5m&limit=-1', 'limit'],
    ['contract_id=X&timeframe=5m&limit=0', 'limit'],
    ['contract_id=X&timeframe=5m&from=2025-02-30', 'from'],
    ['contract_id=X&timeframe=5m&to=soon', 'to'],
    ['contract_id=X&timeframe=5m&to=0000-01-01', 'to'],
    ['contract_id=X&timeframe=5m&from=999999999999999', 'from'],
    ['contract_id=X&timeframe=5m&from=2025-06-03&to=2025-06-01', 'from'],
    ['contract_id=a%20b&timeframe=5m', 'contract_id'],
  ])('%s → 400 naming %s', (query, field) => {
    expect(fieldOf(() => ohlc(query))).toBe(field);
  });

  it('says why in words', () => {
    expect(() => ohlc('contract_id=X&timeframe=5m&limit=99999999')).toThrow(/limit: must be at most 100000/);
    expect(() => ohlc('timeframe=5m')).toThrow(/contract_id: is required/);
  });
});

describe('signal and indicator parameters', () => {
  it('defaults the trend analyzer; signals take every analyzer unless asked', () => {
    expect(parseQuery(apiRoutes.trendStarts.query, q('contract_id=X&timeframe=5m')).analyzerId).toBe('cus_cds_trend_finder');
    expect(parseQuery(apiRoutes.signals.query, q('contract_id=X&timeframe=5m')).analyzerId).toBeUndefined();
    expect(parseQuery(apiRoutes.signals.query, q('contract_id=X&timeframe=5m&analyzer_id=ema_cross')).analyzerId).toBe('ema_cross');
    expect(fieldOf(() => parseQuery(apiRoutes.trendStarts.query, q('contract_id=X&timeframe=5m&analyzer_id=a%20b')))).toBe('analyzer_id');
  });

  it('parses indicator names, defaulting to the chart overlays', () => {
    const parse = (s: string) => parseQuery(apiRoutes.indicators.query, q(s));
    expect(parse('contract_id=X&timeframe=1m').names).toEqual([...DEFAULT_INDICATORS]);
    expect(parse('contract_id=X&timeframe=1m&names=ema_20, rsi_14,ema_20').names).toEqual(['ema_20', 'rsi_14']);
    expect(fieldOf(() => parse('contract_id=X&timeframe=1m&names=foo_3'))).toBe('names');
    expect(fieldOf(() => parse('contract_id=X&timeframe=1m&names=ema_0'))).toBe('names');
    expect(fieldOf(() => parse('contract_id=X&timeframe=1m&names=ema_99999'))).toBe('names');
    expect(
      fieldOf(() =>
        parse(`contract_id=X&timeframe=1m&names=${Array.from({ length: MAX_INDICATORS + 1 }, (_, i) => `sma_${i + 2}`).join(',')}`),
      ),
    ).toBe('names');
    expect(() => parse('contract_id=X&timeframe=1m&names=foo_3')).toThrow(/Unknown indicator "foo_3"/);
  });
});

describe('unknown parameters', () => {
  it('are a 400 naming every one of them and what the route takes', () => {
    expect(fieldOf(() => ohlc('contract_id=X&timeframe=5m&limt=5'))).toBe('limt');
    expect(fieldOf(() => ohlc('contract_id=X&timeframe=5m&b=1&a=2&b=3&a='))).toBe('b, a');
    expect(() => ohlc('contract_id=X&timeframe=5m&limt=5')).toThrow(
      /limt: unknown parameter; this route takes contract_id, timeframe, timeframe_unit, timeframe_value, from, to, limit/,
    );
    expect(() => parseQuery(apiRoutes.health.query, q('verbose=1'))).toThrow(/verbose: unknown parameter; this route takes no parameters/);
    expect(fieldOf(() => parseQuery(apiRoutes.signals.query, q('contract_id=X&timeframe=5m&names=ema_20')))).toBe('names');
  });
});
