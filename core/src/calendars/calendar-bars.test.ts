// Bars on exchange calendars through the live aggregator: a stock's daily bar is its regular session,
// a CME daily bar over a holiday weekend carries the next trade date, hourly bars anchor on the open.
import { describe, expect, it } from 'vitest';
import { BarAggregator } from '../bar-aggregator.ts';
import type { ContractBar } from '../schemas/bar-message.ts';
import { SessionCalendar, type SessionCalendarSpec } from '../session-calendar.ts';
import { parseTimeframe } from '../timeframe.ts';
import { exchangeCalendarSpecByName } from './calendar-specs.ts';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();
const calendarNamed = (name: string): SessionCalendar => new SessionCalendar(exchangeCalendarSpecByName(name) as SessionCalendarSpec);

/** Closed bars of `timeframes` from one trade per listed instant (price = index + 1). */
function barsOf(calendar: SessionCalendar, timeframes: string[], times: string[]): ContractBar[] {
  const agg = new BarAggregator({ timeframes: timeframes.map((t) => parseTimeframe(t)), calendarFor: () => calendar, graceMs: 0 });
  times.forEach((t, i) => {
    expect(agg.addTrade({ contractId: 'X', time: at(t), price: i + 1, volume: 1, side: 'buy', tradeId: String(i) }, at(t))).toBe(
      'accepted',
    );
  });
  agg.advance(Number.MAX_SAFE_INTEGER);
  return agg.drain().filter((b) => b.isClosed);
}

describe('a stock on XNYS', () => {
  const xnys = calendarNamed('xnys');

  it('has one daily bar per calendar day covering 09:30-16:00 New York', () => {
    const bars = barsOf(xnys, ['1d'], ['2026-12-04T14:30:00Z', '2026-12-04T17:00:00Z', '2026-12-04T20:59:59Z', '2026-12-07T14:31:00Z']);
    expect(bars.map((b) => [iso(b.time), b.open, b.close, b.volume])).toEqual([
      ['2026-12-04T00:00:00.000Z', 1, 3, 3],
      ['2026-12-07T00:00:00.000Z', 4, 4, 1],
    ]);
    const bucket = xnys.bucket(at('2026-12-04T17:00:00Z'), parseTimeframe('1d'));
    expect([iso(bucket.from), iso(bucket.to)]).toEqual(['2026-12-04T14:30:00.000Z', '2026-12-04T21:00:00.000Z']);
  });

  it('anchors hourly bars at 09:30 and cuts the last one at an early close (13:00 on 2026-11-27)', () => {
    const h1 = parseTimeframe('1h');
    const labels = ['2026-11-27T14:30:00Z', '2026-11-27T15:45:00Z', '2026-11-27T17:59:00Z'].map((t) => iso(xnys.bucket(at(t), h1).time));
    expect(labels).toEqual(['2026-11-27T14:30:00.000Z', '2026-11-27T15:30:00.000Z', '2026-11-27T17:30:00.000Z']);
    expect(iso(xnys.bucket(at('2026-11-27T17:59:00Z'), h1).to)).toBe('2026-11-27T18:00:00.000Z');
  });
});

describe('a CME contract over the Memorial Day 2025 weekend', () => {
  const cme = calendarNamed('cme_equity_futures');
  // Friday's session, Sunday evening and Monday morning (holiday, halted 12:00 CT), Monday evening, Tuesday.
  const trades = ['2025-05-23T19:00:00Z', '2025-05-25T22:00:00Z', '2025-05-26T16:59:00Z', '2025-05-26T22:00:00Z', '2025-05-27T20:59:00Z'];

  it('gives no bar to the holiday: its trading counts for Tuesday 2025-05-27', () => {
    const daily = barsOf(cme, ['1d'], trades);
    expect(daily.map((b) => [iso(b.time), b.open, b.close, b.volume])).toEqual([
      ['2025-05-23T00:00:00.000Z', 1, 1, 1],
      ['2025-05-27T00:00:00.000Z', 2, 5, 4],
    ]);
    const bucket = cme.bucket(at('2025-05-26T16:00:00Z'), parseTimeframe('1d'));
    expect([iso(bucket.from), iso(bucket.to)]).toEqual(['2025-05-25T22:00:00.000Z', '2025-05-27T21:00:00.000Z']);
  });

  it('restarts 4h bars at the reopen after the halt, as the vendor labels them', () => {
    const labels = barsOf(cme, ['4h'], trades).map((b) => iso(b.time));
    expect(labels).toEqual([
      '2025-05-23T18:00:00.000Z',
      '2025-05-25T22:00:00.000Z',
      '2025-05-26T14:00:00.000Z',
      '2025-05-26T22:00:00.000Z',
      '2025-05-27T18:00:00.000Z',
    ]);
    expect(iso(cme.bucket(at('2025-05-26T16:59:00Z'), parseTimeframe('4h')).to)).toBe('2025-05-26T17:00:00.000Z');
  });

  it('puts the whole holiday week in one weekly bar, Sunday open to Friday close', () => {
    const bucket = cme.bucket(at('2025-05-26T10:00:00Z'), parseTimeframe('1w'));
    expect([iso(bucket.time), iso(bucket.from), iso(bucket.to)]).toEqual([
      '2025-05-26T00:00:00.000Z',
      '2025-05-25T22:00:00.000Z',
      '2025-05-30T21:00:00.000Z',
    ]);
  });
});
