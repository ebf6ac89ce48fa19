import { exchangeCalendarSpecByName, SessionCalendar, type SessionCalendarSpec } from '@barstream/core';
import { describe, expect, it } from 'vitest';
import { sessionBreakIndices } from './session-breaks.ts';

const cme = new SessionCalendar(exchangeCalendarSpecByName('cme_equity_futures') as SessionCalendarSpec);
const sec = (iso: string): number => Date.parse(iso) / 1000;

describe('session breaks', () => {
  // Hourly CME candles over the Memorial Day 2025 weekend: Friday's last two, the Sunday reopen,
  // Monday morning (the holiday, same trade date), the reopen after the halt, Tuesday, Tuesday evening.
  const times = [
    '2025-05-23T19:00:00Z',
    '2025-05-23T20:00:00Z',
    '2025-05-25T22:00:00Z',
    '2025-05-26T16:00:00Z',
    '2025-05-26T22:00:00Z',
    '2025-05-27T20:00:00Z',
    '2025-05-27T22:00:00Z',
  ].map((t) => ({ time: sec(t) }));

  it('marks the first candle of each trade date, not the reopen after a holiday halt within one', () => {
    expect(sessionBreakIndices(times, 0, times.length - 1, cme)).toEqual([2, 6]);
  });

  it('examines only the range asked for', () => {
    expect(sessionBreakIndices(times, 3, 5, cme)).toEqual([]);
    expect(sessionBreakIndices(times, 3, 5.4, cme)).toEqual([6]);
    expect(sessionBreakIndices(times, 5.2, 100, cme)).toEqual([6]);
    expect(sessionBreakIndices([], 0, 10, cme)).toEqual([]);
  });

  it('finds what reading the calendar candle by candle finds (minute candles over a DST change)', () => {
    for (const calendar of [cme, new SessionCalendar({ name: 'odd', timezone: 'America/New_York', sessionOpen: '09:37' })]) {
      const start = sec('2025-10-30T00:00:00Z');
      const minutes = Array.from({ length: 6 * 1440 }, (_, i) => ({ time: start + i * 60 }));
      const expected: number[] = [];
      for (let i = 1; i < minutes.length; i++) {
        const at = (k: number): number => calendar.tradeDate((minutes[k]?.time ?? 0) * 1000);
        if (at(i) !== at(i - 1)) expected.push(i);
      }
      expect(expected.length).toBeGreaterThan(3);
      expect(sessionBreakIndices(minutes, 0, minutes.length - 1, calendar)).toEqual(expected);
    }
  });
});
