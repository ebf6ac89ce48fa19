import { describe, expect, it } from 'vitest';
import { exchangeCalendarSpecByName, type OhlcBar, parseTimeframe, SessionCalendar } from '@barstream/core';
import { barsFromMinutes } from './bars-from-minutes.ts';

const MINUTE = 60_000;
const xnys = new SessionCalendar(exchangeCalendarSpecByName('xnys') as NonNullable<ReturnType<typeof exchangeCalendarSpecByName>>);
/** Tuesday 2024-07-09 09:30 New York (EDT). */
const OPEN = Date.UTC(2024, 6, 9, 13, 30);
const minute = (t: number, price: number, volume = 1): OhlcBar => ({
  time: t,
  open: price,
  high: price + 1,
  low: price - 1,
  close: price,
  volume,
});

describe('barsFromMinutes', () => {
  it('groups a session’s minutes into hours from 09:30, the last cut at 16:00', () => {
    const minutes = Array.from({ length: 390 }, (_, i) => minute(OPEN + i * MINUTE, 100 + i, 2));
    const hours = barsFromMinutes(minutes, parseTimeframe('1h'), xnys, Infinity);
    expect(hours.map((h) => new Date(h.time).toISOString().slice(11, 16))).toEqual([
      '13:30',
      '14:30',
      '15:30',
      '16:30',
      '17:30',
      '18:30',
      '19:30',
    ]);
    expect(hours[0]).toEqual({ time: OPEN, open: 100, high: 160, low: 99, close: 159, volume: 120 });
    expect(hours[6]).toEqual({ time: OPEN + 6 * 60 * MINUTE, open: 460, high: 490, low: 459, close: 489, volume: 60 });
  });

  it('keeps extended-hours minutes out of the session’s hours and leaves out an hour still open', () => {
    const minutes = [minute(OPEN - 10 * MINUTE, 50), minute(OPEN, 100), minute(OPEN + 61 * MINUTE, 101)];
    const hours = barsFromMinutes(minutes, parseTimeframe('1h'), xnys, OPEN + 90 * MINUTE);
    // 09:20 belongs to the closed period before the open (its own bucket), 09:30 to the first hour;
    // the 10:30 hour ends at 11:30, after `now`.
    expect(hours.map((h) => [h.time, h.open])).toEqual([
      [xnys.bucket(OPEN - 10 * MINUTE, parseTimeframe('1h')).time, 50],
      [OPEN, 100],
    ]);
    expect(hours[0]?.time).not.toBe(OPEN);
  });
});
