import { describe, expect, it } from 'vitest';
import { inTimeWindow, timeWindowSchema } from './time-window.ts';

const utc = (iso: string): number => Date.parse(`${iso}Z`);
const window = (raw: Record<string, unknown>) => timeWindowSchema.parse(raw);

describe('time windows', () => {
  it('follows Chicago across the DST change (CST UTC-6 before 2025-03-09, CDT UTC-5 after)', () => {
    const rth = window({ timezone: 'America/Chicago', ranges: ['08:30-15:00'], weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] });
    // Friday 2025-03-07, CST: 08:30 local is 14:30 UTC; the end is exclusive.
    expect(inTimeWindow(rth, utc('2025-03-07T14:29:59'))).toBe(false);
    expect(inTimeWindow(rth, utc('2025-03-07T14:30:00'))).toBe(true);
    expect(inTimeWindow(rth, utc('2025-03-07T20:59:00'))).toBe(true);
    expect(inTimeWindow(rth, utc('2025-03-07T21:00:00'))).toBe(false);
    // Monday 2025-03-10, CDT: an hour earlier in UTC.
    expect(inTimeWindow(rth, utc('2025-03-10T13:29:00'))).toBe(false);
    expect(inTimeWindow(rth, utc('2025-03-10T13:30:00'))).toBe(true);
    expect(inTimeWindow(rth, utc('2025-03-10T19:59:00'))).toBe(true);
    expect(inTimeWindow(rth, utc('2025-03-10T20:00:00'))).toBe(false);
    // Saturday 09:00 local: right time, wrong day.
    expect(inTimeWindow(rth, utc('2025-03-08T15:00:00'))).toBe(false);
  });

  it('gives a range crossing midnight to the weekday it starts on', () => {
    const fridayNight = window({ timezone: 'UTC', ranges: ['22:00-02:00'], weekdays: ['fri'] });
    expect(inTimeWindow(fridayNight, utc('2025-03-07T21:59:00'))).toBe(false);
    expect(inTimeWindow(fridayNight, utc('2025-03-07T22:00:00'))).toBe(true);
    expect(inTimeWindow(fridayNight, utc('2025-03-08T00:00:00'))).toBe(true);
    expect(inTimeWindow(fridayNight, utc('2025-03-08T01:59:00'))).toBe(true);
    expect(inTimeWindow(fridayNight, utc('2025-03-08T02:00:00'))).toBe(false);
    // Friday 01:00 is the end of Thursday night; Saturday 22:00 starts Saturday night.
    expect(inTimeWindow(fridayNight, utc('2025-03-07T01:00:00'))).toBe(false);
    expect(inTimeWindow(fridayNight, utc('2025-03-08T22:00:00'))).toBe(false);
  });

  it('crosses midnight into the night clocks spring forward (Chicago, 2025-03-09 02:00 does not exist)', () => {
    const saturdayNight = window({ timezone: 'America/Chicago', ranges: ['22:00-02:00'], weekdays: ['sat'] });
    expect(inTimeWindow(saturdayNight, utc('2025-03-09T03:59:00'))).toBe(false); // 21:59 CST Saturday
    expect(inTimeWindow(saturdayNight, utc('2025-03-09T04:00:00'))).toBe(true); // 22:00 CST Saturday
    expect(inTimeWindow(saturdayNight, utc('2025-03-09T07:59:00'))).toBe(true); // 01:59 CST Sunday
    expect(inTimeWindow(saturdayNight, utc('2025-03-09T08:00:00'))).toBe(false); // 03:00 CDT Sunday
  });

  it('accepts 24:00 as an end and several ranges; defaults to all day, every day', () => {
    const evening = window({ timezone: 'UTC', ranges: ['00:00-01:00', '23:00-24:00'] });
    expect(inTimeWindow(evening, utc('2025-03-09T23:59:59'))).toBe(true);
    expect(inTimeWindow(evening, utc('2025-03-09T00:30:00'))).toBe(true);
    expect(inTimeWindow(evening, utc('2025-03-09T12:00:00'))).toBe(false);
    expect(inTimeWindow(window({ timezone: 'UTC' }), utc('2025-03-09T12:00:00'))).toBe(true);
  });
});
