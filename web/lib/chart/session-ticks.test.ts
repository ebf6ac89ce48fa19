import { CME_CALENDAR, SessionCalendar, UTC_CALENDAR } from '@barstream/core';
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

  it('keeps UTC midnight as the day mark of a UTC calendar', () => {
    expect(sessionTickWeight(sec('2025-01-07T23:59:00Z'), sec('2025-01-08T00:00:00Z'), utc)).toBe(TICK_WEIGHT.day);
  });
});

describe('fillSessionWeights', () => {
  it('weighs each bar against the one before, and the first against one average gap earlier', () => {
    const times = [sec('2025-01-07T22:55:00Z'), sec('2025-01-07T23:00:00Z'), sec('2025-01-07T23:05:00Z')];
    const weights: number[] = [];
    fillSessionWeights(times, 0, cme, (i, w) => {
      weights[i] = w;
    });
    expect(weights).toEqual([TICK_WEIGHT.minute5, TICK_WEIGHT.day, TICK_WEIGHT.minute5]);
    const later: Record<number, number> = {};
    fillSessionWeights(times, 2, cme, (i, w) => {
      later[i] = w;
    });
    expect(later).toEqual({ 2: TICK_WEIGHT.minute5 });
  });
});

describe('tradeDateLabel', () => {
  it('names the trade date a session opens, not the local date of its open', () => {
    expect(tradeDateLabel(sec('2025-01-07T23:00:00Z'), cme)).toEqual({ day: 8, month: 1, year: 2025 });
    expect(tradeDateLabel(sec('2025-01-07T23:00:00Z'), utc)).toEqual({ day: 7, month: 1, year: 2025 });
  });
});
