import { describe, expect, it } from 'vitest';
import {
  CME_CALENDAR,
  exchangeCalendarSpecByName,
  parseTimeframe,
  SessionCalendar,
  type SessionCalendarSpec,
  UTC_CALENDAR,
} from '@barstream/core';
import { TradingHours } from './trading-hours.ts';

const cme = new TradingHours(new SessionCalendar(CME_CALENDAR));
const utc = new TradingHours(new SessionCalendar(UTC_CALENDAR));
const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('CME Globex trading hours', () => {
  it('trade Sunday 17:00 to Friday 16:00 Chicago with a 16:00-17:00 break; weekend trade dates have no session', () => {
    const monday = cme.session(day('2025-03-17'));
    expect(monday && [iso(monday.open), iso(monday.close)]).toEqual(['2025-03-16T22:00:00.000Z', '2025-03-17T21:00:00.000Z']);
    const friday = cme.session(day('2025-03-21'));
    expect(friday && iso(friday.close)).toBe('2025-03-21T21:00:00.000Z');
    expect(cme.session(day('2025-03-22'))).toBeUndefined();
    expect(cme.session(day('2025-03-23'))).toBeUndefined();
  });

  it('follow Chicago across the DST change (23:00 UTC in winter, 22:00 UTC in summer)', () => {
    const beforeChange = cme.session(day('2025-03-07'));
    const afterChange = cme.session(day('2025-03-10'));
    expect(beforeChange && [iso(beforeChange.open), iso(beforeChange.close)]).toEqual([
      '2025-03-06T23:00:00.000Z',
      '2025-03-07T22:00:00.000Z',
    ]);
    // The Sunday evening open is already on daylight time.
    expect(afterChange && [iso(afterChange.open), iso(afterChange.close)]).toEqual([
      '2025-03-09T22:00:00.000Z',
      '2025-03-10T21:00:00.000Z',
    ]);
  });

  it('expect 23 hours of intraday bars per session, hour bars anchored at the open, one daily bar', () => {
    const session = cme.session(day('2025-03-17'));
    if (!session) throw new Error('no session');
    expect(cme.sessionBarCount(session, parseTimeframe('1m'))).toBe(1_380);
    expect(cme.sessionBarCount(session, parseTimeframe('5m'))).toBe(276);
    expect(cme.sessionLabels(session, parseTimeframe('5m'))).toHaveLength(276);
    expect(cme.sessionLabels(session, parseTimeframe('1h'))).toHaveLength(23);
    // 4h from the 22:00 open: 22, 02, 06, 10, 14, 18 (the last one cut by the close at 21:00).
    expect(cme.sessionLabels(session, parseTimeframe('4h')).map((t) => iso(t).slice(11, 13))).toEqual(['22', '02', '06', '10', '14', '18']);
    expect(cme.sessionLabels(session, parseTimeframe('1d')).map(iso)).toEqual(['2025-03-17T00:00:00.000Z']);
  });
});

describe('UTC (crypto) trading hours', () => {
  it('trade around the clock, every day', () => {
    const saturday = utc.session(day('2025-03-22'));
    expect(saturday && [iso(saturday.open), iso(saturday.close)]).toEqual(['2025-03-22T00:00:00.000Z', '2025-03-23T00:00:00.000Z']);
    if (!saturday) return;
    expect(utc.sessionBarCount(saturday, parseTimeframe('1m'))).toBe(1_440);
    expect(utc.sessionLabels(saturday, parseTimeframe('4h'))).toHaveLength(6);
  });
});

describe('exchange calendar trading hours (cme_equity_futures)', () => {
  const exchange = new TradingHours(new SessionCalendar(exchangeCalendarSpecByName('cme_equity_futures') as SessionCalendarSpec));

  it('expect nothing on a holiday: Memorial Day 2025 and Good Friday are not gaps', () => {
    expect(exchange.session(day('2025-05-26'))).toBeUndefined();
    expect(exchange.session(day('2025-04-18'))).toBeUndefined();
  });

  it("put the holiday's trading until the 12:00 CT halt in the next trade date's bars, none in the halt", () => {
    const tuesday = exchange.session(day('2025-05-27'));
    if (!tuesday) throw new Error('no session');
    // Sunday 17:00 CT to Monday 12:00 CT (19 h), Monday 17:00 CT to Tuesday 16:00 CT (23 h).
    expect(exchange.sessionBarCount(tuesday, parseTimeframe('1m'))).toBe((19 + 23) * 60);
    const fourHours = exchange.sessionLabels(tuesday, parseTimeframe('4h')).map((t) => iso(t).slice(5, 13));
    expect(fourHours).toEqual([
      '05-25T22',
      '05-26T02',
      '05-26T06',
      '05-26T10',
      '05-26T14',
      '05-26T22',
      '05-27T02',
      '05-27T06',
      '05-27T10',
      '05-27T14',
      '05-27T18',
    ]);
    expect(exchange.sessionLabels(tuesday, parseTimeframe('1d')).map(iso)).toEqual(['2025-05-27T00:00:00.000Z']);
  });

  it('expect an early close to end the bars: 2025-12-24 closes 12:15 CT', () => {
    const eve = exchange.session(day('2025-12-24'));
    if (!eve) throw new Error('no session');
    expect(iso(eve.close)).toBe('2025-12-24T18:15:00.000Z');
    expect(exchange.sessionBarCount(eve, parseTimeframe('1m'))).toBe(19 * 60 + 15);
  });
});
