import { describe, expect, it } from 'vitest';
import { CME_CALENDAR, SessionCalendar, UTC_CALENDAR } from './session-calendar.ts';
import { parseTimeframe } from './timeframe.ts';

const cme = new SessionCalendar(CME_CALENDAR);
const utc = new SessionCalendar(UTC_CALENDAR);
const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('CME session calendar', () => {
  it('opens at 22:00 UTC in summer and 23:00 UTC in winter', () => {
    expect(iso(cme.sessionOpen(at('2025-03-17T00:00:00Z')))).toBe('2025-03-16T22:00:00.000Z');
    expect(iso(cme.sessionOpen(at('2025-01-14T00:00:00Z')))).toBe('2025-01-13T23:00:00.000Z');
  });

  it('gives an evening trade the next trade date', () => {
    expect(iso(cme.tradeDate(at('2025-03-16T22:00:00Z')))).toBe('2025-03-17T00:00:00.000Z');
    expect(iso(cme.tradeDate(at('2025-03-16T21:59:59Z')))).toBe('2025-03-16T00:00:00.000Z');
    expect(iso(cme.tradeDate(at('2025-01-13T22:30:00Z')))).toBe('2025-01-13T00:00:00.000Z');
  });

  it('anchors 4h bars at the session open: 22, 02, 06, 10, 14, 18 UTC in summer', () => {
    const starts = [
      '2025-03-16T22:30:00Z',
      '2025-03-17T03:59:00Z',
      '2025-03-17T06:00:00Z',
      '2025-03-17T13:00:00Z',
      '2025-03-17T17:00:00Z',
      '2025-03-17T20:59:00Z',
    ].map((t) => iso(cme.bucket(at(t), parseTimeframe('4h')).time));
    expect(starts).toEqual([
      '2025-03-16T22:00:00.000Z',
      '2025-03-17T02:00:00.000Z',
      '2025-03-17T06:00:00.000Z',
      '2025-03-17T10:00:00.000Z',
      '2025-03-17T14:00:00.000Z',
      '2025-03-17T18:00:00.000Z',
    ]);
  });

  it('anchors 4h bars at 23, 03, 07 … UTC in winter', () => {
    expect(iso(cme.bucket(at('2025-01-14T01:00:00Z'), parseTimeframe('4h')).time)).toBe('2025-01-13T23:00:00.000Z');
    expect(iso(cme.bucket(at('2025-01-14T03:00:00Z'), parseTimeframe('4h')).time)).toBe('2025-01-14T03:00:00.000Z');
  });

  it('labels a daily bar with its trade date but covers the evening before', () => {
    const b = cme.bucket(at('2025-03-16T22:00:00Z'), parseTimeframe('1d'));
    expect(iso(b.time)).toBe('2025-03-17T00:00:00.000Z');
    expect(iso(b.from)).toBe('2025-03-16T22:00:00.000Z');
    expect(iso(b.to)).toBe('2025-03-17T22:00:00.000Z');
  });

  it('handles the DST switch weekend: Friday session ends 22:00 UTC, Sunday opens 22:00 UTC after the spring change', () => {
    // 2025-03-09 02:00 Chicago: clocks go forward. Friday 03-07 session opened 23:00 UTC (CST).
    expect(iso(cme.sessionOpen(at('2025-03-07T00:00:00Z')))).toBe('2025-03-06T23:00:00.000Z');
    expect(iso(cme.sessionOpen(at('2025-03-10T00:00:00Z')))).toBe('2025-03-09T22:00:00.000Z');
    const fridayLast = cme.bucket(at('2025-03-07T21:30:00Z'), parseTimeframe('4h'));
    expect(iso(fridayLast.time)).toBe('2025-03-07T19:00:00.000Z');
  });

  it('puts weeks on Monday trade dates and months on the 1st, both opening the evening before', () => {
    const w = cme.bucket(at('2025-03-19T15:00:00Z'), parseTimeframe('1w'));
    expect(iso(w.time)).toBe('2025-03-17T00:00:00.000Z');
    expect(iso(w.from)).toBe('2025-03-16T22:00:00.000Z');
    const m = cme.bucket(at('2025-03-31T23:00:00Z'), parseTimeframe('1mo'));
    expect(iso(m.time)).toBe('2025-04-01T00:00:00.000Z');
    expect(iso(m.from)).toBe('2025-03-31T22:00:00.000Z');
  });
});

describe('UTC calendar (crypto)', () => {
  it('uses UTC midnight for days and plain epoch alignment intraday', () => {
    const d = utc.bucket(at('2025-03-16T23:59:59Z'), parseTimeframe('1d'));
    expect([iso(d.time), iso(d.from), iso(d.to)]).toEqual([
      '2025-03-16T00:00:00.000Z',
      '2025-03-16T00:00:00.000Z',
      '2025-03-17T00:00:00.000Z',
    ]);
    expect(iso(utc.bucket(at('2025-03-16T05:07:00Z'), parseTimeframe('4h')).time)).toBe('2025-03-16T04:00:00.000Z');
    expect(iso(utc.bucket(at('2025-03-16T05:07:31Z'), parseTimeframe('5m')).time)).toBe('2025-03-16T05:05:00.000Z');
  });
});

describe('calendar validation', () => {
  it('names the bad field', () => {
    expect(() => new SessionCalendar({ name: 'x', timezone: 'Mars/Olympus', sessionOpen: '17:00' })).toThrow(
      /unknown timezone 'Mars\/Olympus'/,
    );
    expect(() => new SessionCalendar({ name: 'x', timezone: 'UTC', sessionOpen: '25:00' })).toThrow(/session_open '25:00'/);
  });
});
