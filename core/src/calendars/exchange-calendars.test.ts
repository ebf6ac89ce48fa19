// The shipped exchange calendars: every listed holiday and early close, DST switches, the weekly
// shape, and what the data files must hold (source, years, weekdays).
import { describe, expect, it } from 'vitest';
import { SessionCalendar } from '../session-calendar.ts';
import { DAY_MS } from '../time.ts';
import { localTimeToUtc } from '../time-zone.ts';
import { wallMinutes } from './wall-minutes.ts';
import { exchangeCalendarSpecByName } from './calendar-specs.ts';
import { EXCHANGE_CALENDARS } from './exchange-calendars.ts';

const calendarNamed = (name: string): SessionCalendar =>
  new SessionCalendar(exchangeCalendarSpecByName(name) ?? { name, timezone: 'x', sessionOpen: 'x' });
const cme = calendarNamed('cme_equity_futures');
const xnys = calendarNamed('xnys');
const crypto = calendarNamed('crypto_24_7');
const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
const MINUTE = 60_000;

describe('calendar data files', () => {
  for (const data of Object.values(EXCHANGE_CALENDARS)) {
    it(`${data.name}: names its source, lists sorted distinct days within its years, none on a weekend`, () => {
      expect(data.source.length).toBeGreaterThan(0);
      for (const list of [data.holidays, data.early_closes]) {
        const dates = list.map((d) => d.date);
        expect(dates).toEqual([...new Set(dates)].sort());
        for (const d of list) {
          const year = Number(d.date.slice(0, 4));
          expect(year, d.date).toBeGreaterThanOrEqual(data.years.from);
          expect(year, d.date).toBeLessThanOrEqual(data.years.to);
          expect(data.trading_weekdays, `${d.date} ${d.name}`).toContain(new Date(Date.parse(d.date)).getUTCDay());
        }
      }
    });
  }

  it('CME equity futures observe every NYSE holiday (the 2025-01-09 closure was an early close there)', () => {
    const cmeDays = new Set(EXCHANGE_CALENDARS.cme_equity_futures?.holidays.map((h) => h.date));
    const nyseOnly = EXCHANGE_CALENDARS.xnys?.holidays.map((h) => h.date).filter((d) => !cmeDays.has(d));
    expect(nyseOnly).toEqual(['2025-01-09']);
  });
});

for (const [name, calendar] of [
  ['cme_equity_futures', cme],
  ['xnys', xnys],
] as const) {
  const data = EXCHANGE_CALENDARS[name];
  if (!data) throw new Error(`no calendar ${name}`);
  const local = (date: number, hhmm: string): number => localTimeToUtc(data.timezone, date, wallMinutes(hhmm));

  describe(`${name} holidays`, () => {
    for (const h of data.holidays) {
      const date = Date.parse(h.date);
      it(`${h.date} ${h.name}: no trade date${h.closes ? `, trading until ${h.closes} counts for the next` : ', closed'}`, () => {
        expect(calendar.session(date)).toBeUndefined();
        expect(calendar.holidays(Number(h.date.slice(0, 4))).map((d) => iso(d.date))).toContain(iso(date));
        const next = calendar.sessions(local(date, '00:00'), local(date, '00:00') + 5 * DAY_MS)[0];
        expect(next && next.tradeDate).toBeGreaterThan(date);
        if (h.closes === undefined) {
          expect(calendar.isOpen(local(date, '12:00'))).toBe(false);
          expect(next && next.open).toBeGreaterThan(local(date, '12:00'));
        } else {
          const halt = local(date, h.closes);
          expect(calendar.isOpen(halt - MINUTE)).toBe(true);
          expect(calendar.isOpen(halt)).toBe(false);
          expect(iso(calendar.tradeDate(halt - MINUTE))).toBe(iso(next?.tradeDate));
          expect(next?.spans.length).toBe(2);
          expect(iso(next?.spans[0]?.to)).toBe(iso(halt));
          expect(iso(calendar.nextOpen(halt))).toBe(iso(next?.spans[1]?.from));
        }
      });
    }
  });

  describe(`${name} early closes`, () => {
    for (const e of data.early_closes) {
      const date = Date.parse(e.date);
      it(`${e.date} ${e.name}: closes at ${e.closes}`, () => {
        const close = local(date, e.closes);
        expect(iso(calendar.session(date)?.close)).toBe(iso(close));
        expect(calendar.isOpen(close - MINUTE)).toBe(true);
        expect(calendar.isOpen(close)).toBe(false);
        expect(iso(calendar.nextClose(close - MINUTE))).toBe(iso(close));
        expect(calendar.earlyCloses(Number(e.date.slice(0, 4))).map((d) => iso(d.date))).toContain(iso(date));
      });
    }
  });
}

describe('DST switches', () => {
  it('America/Chicago: CME opens 23:00 UTC before the March switch, 22:00 UTC after; back in November', () => {
    // DST began Sunday 2025-03-09 02:00 and ended Sunday 2025-11-02 02:00, before the 17:00 opens.
    expect(iso(cme.session(at('2025-03-07'))?.close)).toBe('2025-03-07T22:00:00.000Z');
    expect(iso(cme.session(at('2025-03-10'))?.open)).toBe('2025-03-09T22:00:00.000Z');
    expect(iso(cme.session(at('2025-03-10'))?.close)).toBe('2025-03-10T21:00:00.000Z');
    expect(iso(cme.session(at('2025-10-31'))?.open)).toBe('2025-10-30T22:00:00.000Z');
    expect(iso(cme.session(at('2025-11-03'))?.open)).toBe('2025-11-02T23:00:00.000Z');
    expect(iso(cme.session(at('2025-11-03'))?.close)).toBe('2025-11-03T22:00:00.000Z');
    expect(cme.isOpen(at('2025-03-09T22:30:00Z'))).toBe(true);
    expect(cme.isOpen(at('2025-11-02T22:30:00Z'))).toBe(false);
  });

  it('America/New_York: XNYS 09:30-16:00 is 14:30-21:00 UTC in winter, 13:30-20:00 UTC in summer', () => {
    expect(
      [xnys.session(at('2025-03-07')), xnys.session(at('2025-03-10')), xnys.session(at('2025-11-03'))].map((s) => [
        iso(s?.open),
        iso(s?.close),
      ]),
    ).toEqual([
      ['2025-03-07T14:30:00.000Z', '2025-03-07T21:00:00.000Z'],
      ['2025-03-10T13:30:00.000Z', '2025-03-10T20:00:00.000Z'],
      ['2025-11-03T14:30:00.000Z', '2025-11-03T21:00:00.000Z'],
    ]);
  });
});

describe('weekly shape', () => {
  it('CME: closed Saturday, opens Sunday 17:00 CT, daily 16:00-17:00 CT halt', () => {
    const saturday = at('2026-12-05T16:00:00Z');
    expect(cme.isOpen(saturday)).toBe(false);
    expect(iso(cme.nextOpen(saturday))).toBe('2026-12-06T23:00:00.000Z');
    expect(iso(cme.nextClose(saturday))).toBe('2026-12-07T22:00:00.000Z');
    expect(cme.isOpen(at('2026-12-07T22:30:00Z'))).toBe(false);
    expect(iso(cme.nextOpen(at('2026-12-07T22:30:00Z')))).toBe('2026-12-07T23:00:00.000Z');
    expect(cme.isOpen(at('2026-12-07T23:00:00Z'))).toBe(true);
  });

  it('lists the sessions of a range over a holiday weekend by trade date', () => {
    const dates = cme.sessions(at('2025-05-23T12:00:00Z'), at('2025-05-28T12:00:00Z')).map((s) => iso(s.tradeDate));
    expect(dates).toEqual(['2025-05-23T00:00:00.000Z', '2025-05-27T00:00:00.000Z', '2025-05-28T00:00:00.000Z']);
  });

  it('crypto trades around the clock: always open, no next open or close', () => {
    for (const t of ['2026-12-05T16:00:00Z', '2026-12-25T00:00:00Z', '2026-12-31T23:59:59Z']) expect(crypto.isOpen(at(t))).toBe(true);
    expect(crypto.nextOpen(at('2026-12-05T16:00:00Z'))).toBeNull();
    expect(crypto.nextClose(at('2026-12-05T16:00:00Z'))).toBeNull();
    expect(crypto.holidays(2026)).toEqual([]);
    expect(iso(crypto.tradeDate(at('2026-12-05T23:59:00Z')))).toBe('2026-12-05T00:00:00.000Z');
  });

  it('XNYS labels a day by its calendar date, before and after the session too', () => {
    for (const t of ['2026-12-04T12:00:00Z', '2026-12-04T15:00:00Z', '2026-12-04T23:00:00Z']) {
      expect(iso(xnys.tradeDate(at(t)))).toBe('2026-12-04T00:00:00.000Z');
    }
    expect(iso(xnys.tradeDate(at('2026-12-05T15:00:00Z')))).toBe('2026-12-07T00:00:00.000Z');
  });
});
