import { describe, expect, it } from 'vitest';
import { CME_CALENDAR, SessionCalendar } from '../session-calendar.ts';
import { SessionClock } from './session-clock.ts';

describe('SessionClock', () => {
  it('gives the calendar’s trade date for every minute across a CME week, calling it once per session', () => {
    const calendar = new SessionCalendar(CME_CALENDAR);
    let calls = 0;
    const clock = new SessionClock({
      tradeDate: (ms) => (calls++, calendar.tradeDate(ms)),
      sessionOpen: (d) => calendar.sessionOpen(d),
    });
    const start = Date.parse('2024-03-08T00:00:00Z'); // spans the US switch to daylight time (Mar 10)
    for (let t = start; t < start + 7 * 86_400_000; t += 60_000) expect(clock.sessionOf(t)).toBe(calendar.tradeDate(t));
    expect(calls).toBeLessThanOrEqual(8);
  });

  it('answers for an earlier instant of the same or an earlier session too (closed bars arrive after their ticks)', () => {
    const calendar = new SessionCalendar(CME_CALENDAR);
    const clock = new SessionClock(calendar);
    const t = Date.parse('2024-03-12T23:00:00Z'); // after the 17:00 CT (22:00 UTC) open: trade date Mar 13
    expect(clock.sessionOf(t)).toBe(Date.UTC(2024, 2, 13));
    expect(clock.sessionOf(t - 2 * 3_600_000)).toBe(Date.UTC(2024, 2, 12));
    expect(clock.sessionOf(t)).toBe(Date.UTC(2024, 2, 13));
  });
});
