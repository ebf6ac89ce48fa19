import { toEpochSeconds } from '@barstream/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ohlcResponseSchema, type WireBar } from '../api/response-schemas.ts';
import { isoEpochMs } from './iso-epoch.ts';
import { ohlcCandles } from './ohlc-candles.ts';

/** What the chart drew from an answer before: zod's parse, then Date.parse of each bar's time. */
function throughSchema(body: unknown) {
  const parsed = ohlcResponseSchema.safeParse(body);
  if (!parsed.success) return { success: false };
  const { contract_id, timeframe, bars } = parsed.data;
  const candles = bars.map((b: WireBar) => ({
    time: toEpochSeconds(Date.parse(b.timestamp)),
    open: b.open,
    high: b.high,
    low: b.low,
    close: b.close,
    volume: b.volume,
  }));
  // The newest bar's is_closed (the later one of equal times, as the candle store keeps it).
  let lastClosed = false;
  let newest: number | undefined;
  candles.forEach((c, i) => {
    if (newest === undefined || c.time >= newest) {
      newest = c.time;
      lastClosed = (bars[i] as WireBar).is_closed;
    }
  });
  return { success: true, data: { contract_id, timeframe, candles, lastClosed } };
}

const bar = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  timestamp: '2025-06-02T14:00:00.000Z',
  open: 1,
  high: 2,
  low: 0.5,
  close: 1.5,
  volume: 3,
  is_closed: true,
  ...over,
});

const answer = (bars: unknown, over: Record<string, unknown> = {}): Record<string, unknown> => ({
  contract_id: 'SIM.MES',
  timeframe: '1m',
  bars,
  ...over,
});

describe('reading an /api/ohlc answer into candles', () => {
  it('accepts and refuses what the schema does, and gives the same candles', () => {
    const bodies: unknown[] = [
      answer([bar(), bar({ timestamp: '2025-06-02T14:01:00.000Z', is_closed: false })]),
      answer([]),
      answer([bar({ extra: 'ignored' })], { more: 1 }),
      answer([bar({ timestamp: 'not a time' })]), // a string: the schema takes it, its time is NaN
      answer([bar({ timestamp: '2026-02-30T00:00:00.000Z' })]), // Date.parse rolls it over
      answer([bar({ timestamp: '2025-06-02T14:00:00Z' })]),
      answer([bar({ open: '1' })]),
      answer([bar({ volume: null })]),
      answer([bar({ is_closed: 'yes' })]),
      answer([bar({ timestamp: 1 })]),
      answer([bar({ high: undefined })]),
      answer([null]),
      answer([[1, 2]]),
      answer({}),
      answer([bar()], { contract_id: 5 }),
      answer([bar()], { timeframe: undefined }),
      null,
      'text',
      [answer([bar()])],
      undefined,
    ];
    for (const body of bodies) expect(ohlcCandles.safeParse(body)).toEqual(throughSchema(body));
  });

  it("says whether the answer's newest bar is closed, in whatever order the bars come", () => {
    const at = (minute: number, closed: boolean) => bar({ timestamp: `2025-06-02T14:0${minute}:00.000Z`, is_closed: closed });
    const read = (bars: unknown[]) => {
      const r = ohlcCandles.safeParse(answer(bars));
      if (!r.success) throw new Error('refused');
      return r.data.lastClosed;
    };
    expect(read([at(0, true), at(1, false)])).toBe(false);
    expect(read([at(0, true), at(1, true)])).toBe(true);
    expect(read([at(1, true), at(0, false)])).toBe(true);
    expect(read([at(1, false), at(0, true)])).toBe(false);
    expect(read([])).toBe(false);
  });

  it('parses every toISOString time as Date.parse does', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }), (d) => {
        const s = d.toISOString();
        expect(isoEpochMs(s)).toBe(Date.parse(s));
      }),
      { numRuns: 5_000 },
    );
  });

  it('gives Date.parse its say on every other string', () => {
    const odd = [
      '2026-02-29T00:00:00.000Z',
      '2024-02-29T12:00:00.000Z',
      '2026-01-01T24:00:00.000Z',
      '2026-01-31T23:59:60.000Z',
      '2026-13-01T00:00:00.000Z',
      '2026-0a-01T00:00:00.000Z',
      '0099-01-01T00:00:00.000Z',
      '+002026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:00.00aZ',
      '2026-01-01 00:00:00.000Z',
      '',
    ];
    for (const s of odd) expect(Object.is(isoEpochMs(s), Date.parse(s)), s).toBe(true);
    fc.assert(
      fc.property(fc.string({ minLength: 24, maxLength: 24 }), (s) => {
        expect(Object.is(isoEpochMs(s), Date.parse(s))).toBe(true);
      }),
    );
  });
});
