import { CME_CALENDAR, exchangeCalendarSpecByName, SessionCalendar, type SessionCalendarSpec, UTC_CALENDAR } from '@barstream/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillSessionWeights, sessionTickWeight, TICK_WEIGHT, tradeDateLabel } from './session-ticks.ts';

const cme = new SessionCalendar(CME_CALENDAR);
const utc = new SessionCalendar(UTC_CALENDAR);
const sec = (iso: string): number => Date.parse(iso) / 1000;

describe('sessionTickWeight', () => {
  it('puts the day mark on the bar that opens a CME session (17:00 Chicago), in winter and in summer', () => {
    // 15:59 CST → 17:00 CST (after the daily halt): a new trade date.
    expect(sessionTickWeight(sec('2025-01-07T21:59:00Z'), sec('2025-01-07T23:00:00Z'), cme)).toBe(TICK_WEIGHT.day);
    // CDT: the session opens at 22:00 UTC.
    expect(sessionTickWeight(sec('2025-06-10T21:59:00Z'), sec('2025-06-10T22:00:00Z'), cme)).toBe(TICK_WEIGHT.day);
    expect(sessionTickWeight(sec('2025-06-10T22:59:00Z'), sec('2025-06-10T23:00:00Z'), cme)).toBe(TICK_WEIGHT.hour6); // 18:00 CDT
  });

  it('never puts a day mark at UTC midnight in the middle of a CME session', () => {
    // 23:59 UTC → 00:00 UTC is 17:59 → 18:00 CST: a 6-hour mark in Chicago, not a new day.
    expect(sessionTickWeight(sec('2025-01-07T23:59:00Z'), sec('2025-01-08T00:00:00Z'), cme)).toBe(TICK_WEIGHT.hour6);
    // Chicago midnight is inside the session too.
    expect(sessionTickWeight(sec('2025-01-08T05:59:00Z'), sec('2025-01-08T06:00:00Z'), cme)).toBe(TICK_WEIGHT.hour12);
  });

  it('marks months and years by trade date', () => {
    // Friday 31 Jan closes; Sunday 2 Feb 17:00 opens trade date Monday 3 Feb.
    expect(sessionTickWeight(sec('2025-01-31T21:59:00Z'), sec('2025-02-02T23:00:00Z'), cme)).toBe(TICK_WEIGHT.month);
    expect(sessionTickWeight(sec('2024-12-31T21:59:00Z'), sec('2024-12-31T23:00:00Z'), cme)).toBe(TICK_WEIGHT.year);
  });

  it('weighs minutes and seconds on local wall time', () => {
    expect(sessionTickWeight(sec('2025-01-08T15:04:00Z'), sec('2025-01-08T15:05:00Z'), cme)).toBe(TICK_WEIGHT.minute5);
    expect(sessionTickWeight(sec('2025-01-08T15:05:00Z'), sec('2025-01-08T15:06:00Z'), cme)).toBe(TICK_WEIGHT.minute1);
    expect(sessionTickWeight(sec('2025-01-08T15:05:01Z'), sec('2025-01-08T15:05:02Z'), cme)).toBe(TICK_WEIGHT.second);
  });

  it('gives within a day the coarsest boundary crossed (read from the finest)', () => {
    const coarsestFirst: readonly (readonly [number, number])[] = [
      [12 * 3_600_000, TICK_WEIGHT.hour12],
      [6 * 3_600_000, TICK_WEIGHT.hour6],
      [3 * 3_600_000, TICK_WEIGHT.hour3],
      [3_600_000, TICK_WEIGHT.hour1],
      [1_800_000, TICK_WEIGHT.minute30],
      [300_000, TICK_WEIGHT.minute5],
      [60_000, TICK_WEIGHT.minute1],
      [1_000, TICK_WEIGHT.second],
    ];
    const expected = (a: number, b: number): number =>
      coarsestFirst.find(([d]) => Math.floor(a / d) !== Math.floor(b / d))?.[1] ?? TICK_WEIGHT.lessThanSecond;
    const day = sec('2025-01-08T00:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_399 }), fc.integer({ min: 0, max: 86_399 }), (a, b) => {
        expect(sessionTickWeight(day + a, day + b, utc)).toBe(expected(a * 1000, b * 1000));
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps UTC midnight as the day mark of a UTC calendar', () => {
    expect(sessionTickWeight(sec('2025-01-07T23:59:00Z'), sec('2025-01-08T00:00:00Z'), utc)).toBe(TICK_WEIGHT.day);
  });
});

describe('fillSessionWeights', () => {
  it('weighs each bar against the one before, and the first against one average gap earlier', () => {
    const times = [sec('2025-01-07T22:55:00Z'), sec('2025-01-07T23:00:00Z'), sec('2025-01-07T23:05:00Z')];
    const weights: number[] = [];
    fillSessionWeights(
      times.length,
      (i) => times[i] as number,
      0,
      cme,
      (i, w) => {
        weights[i] = w;
      },
    );
    expect(weights).toEqual([TICK_WEIGHT.minute5, TICK_WEIGHT.day, TICK_WEIGHT.minute5]);
    const later: Record<number, number> = {};
    fillSessionWeights(
      times.length,
      (i) => times[i] as number,
      2,
      cme,
      (i, w) => {
        later[i] = w;
      },
    );
    expect(later).toEqual({ 2: TICK_WEIGHT.minute5 });
  });

  // The quarter-hour reads (session-clock.ts) must give what asking the calendar per bar gives:
  // across both DST changes, session opens and closes, weekends and holidays, for minute bars and
  // for bars at odd seconds.
  const calendars: [string, SessionCalendar][] = [
    ['CME (no schedule)', cme],
    ['UTC', utc],
    ['CME equity futures', new SessionCalendar(exchangeCalendarSpecByName('cme_equity_futures') as SessionCalendarSpec)],
    ['XNYS', new SessionCalendar(exchangeCalendarSpecByName('xnys') as SessionCalendarSpec)],
    // Opens inside a quarter hour: that quarter hour has two trade dates and is read bar by bar.
    ['opening at 09:37 New York', new SessionCalendar({ name: 'odd', timezone: 'America/New_York', sessionOpen: '09:37' })],
  ];
  const spans: [string, number, number][] = [
    ['spring forward, 1m bars', sec('2025-03-07T12:00:00Z'), 60],
    ['fall back, 1m bars', sec('2025-10-31T12:00:00Z'), 60],
    ['Christmas, bars 7 min 13 s apart', sec('2024-12-20T00:00:07Z'), 433],
  ];
  for (const [calendarName, calendar] of calendars) {
    for (const [spanName, start, step] of spans) {
      it(`gives the per-bar weights: ${calendarName}, ${spanName}`, () => {
        const count = Math.ceil((5 * 86_400) / step);
        const times = Array.from({ length: count }, (_, i) => start + i * step);
        const weights: number[] = [];
        fillSessionWeights(
          count,
          (i) => times[i] as number,
          0,
          calendar,
          (i, w) => {
            weights[i] = w;
          },
        );
        const gap = Math.ceil(((times[count - 1] as number) - start) / (count - 1));
        const expected = times.map((t, i) => sessionTickWeight(i === 0 ? t - gap : (times[i - 1] as number), t, calendar));
        expect(weights).toEqual(expected);
        expect(new Set(weights).has(TICK_WEIGHT.day)).toBe(true);
      });
    }
  }
});

describe('tradeDateLabel', () => {
  it('names the trade date a session opens, not the local date of its open', () => {
    expect(tradeDateLabel(sec('2025-01-07T23:00:00Z'), cme)).toEqual({ day: 8, month: 1, year: 2025 });
    expect(tradeDateLabel(sec('2025-01-07T23:00:00Z'), utc)).toEqual({ day: 7, month: 1, year: 2025 });
  });
});
