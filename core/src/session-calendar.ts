// Session calendar: which trade date a timestamp belongs to, where each timeframe's bucket lies and,
// for an exchange calendar (core/src/calendars), when the market is open.
import type { CalendarData } from './calendars/calendar-data.ts';
import { type CalendarDay, ExchangeSchedule, type TradingSession } from './calendars/exchange-schedule.ts';
import { ConfigError } from './errors.ts';
import { DAY_MS, HOUR_MS } from './time.ts';
import { fixedLengthMs, type Timeframe, TimeframeUnit } from './timeframe.ts';
import { isValidTimeZone, localDateAndMinutes, localTimeToUtc } from './time-zone.ts';

export interface SessionCalendarSpec {
  readonly name: string;
  readonly timezone: string;
  /** Local wall time the session opens, 'HH:MM'. At or after noon it opens the evening before the trade date. */
  readonly sessionOpen: string;
  /** The exchange's sessions, holidays and early closes. Without them every day is one session from
   * open to the next open, and the market counts as always open. Plain data: the spec travels to the browser. */
  readonly hours?: CalendarData;
}

/** A bar's place in time: `time` labels it (bar open time, daily bars carry their trade date at
 * 00:00 UTC); trades at `from` <= t < `to` belong to it. */
export interface Bucket {
  readonly time: number;
  readonly from: number;
  readonly to: number;
}

const WEEK_ANCHOR_MONDAY = Date.UTC(1970, 0, 5);
/** One schedule per calendar data: specs are rebuilt per request and per contract, the data is not. */
const schedules = new WeakMap<CalendarData, ExchangeSchedule>();

function scheduleOf(hours: CalendarData): ExchangeSchedule {
  let schedule = schedules.get(hours);
  if (!schedule) {
    schedule = new ExchangeSchedule(hours);
    schedules.set(hours, schedule);
  }
  return schedule;
}

export class SessionCalendar {
  readonly name: string;
  readonly timezone: string;
  private readonly openMinutes: number;
  private readonly opensEveningBefore: boolean;
  private readonly schedule: ExchangeSchedule | undefined;

  constructor(spec: SessionCalendarSpec) {
    const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(spec.sessionOpen);
    if (!match) throw new ConfigError(`session calendar ${spec.name}: session_open '${spec.sessionOpen}' is not HH:MM`);
    if (!isValidTimeZone(spec.timezone)) throw new ConfigError(`session calendar ${spec.name}: unknown timezone '${spec.timezone}'`);
    this.name = spec.name;
    this.timezone = spec.timezone;
    this.openMinutes = Number(match[1]) * 60 + Number(match[2]);
    this.opensEveningBefore = this.openMinutes >= 12 * 60;
    this.schedule = spec.hours ? scheduleOf(spec.hours) : undefined;
  }

  /** Trade date of instant `ms`, as 00:00 UTC of that date. On an exchange calendar a holiday's
   * trading (CME's halted holiday sessions) and closed days belong to the next trade date. */
  tradeDate(ms: number): number {
    const { date, minutes } = localDateAndMinutes(this.timezone, ms);
    if (this.schedule?.data.bar_label === 'calendar_day') return this.schedule.tradeDateOnOrAfter(date);
    let nominal: number;
    if (this.opensEveningBefore) nominal = minutes >= this.openMinutes ? date + DAY_MS : date;
    else nominal = minutes >= this.openMinutes ? date : date - DAY_MS;
    return this.schedule ? this.schedule.tradeDateOnOrAfter(nominal) : nominal;
  }

  /** UTC instant the session of trade date `tradeDate` opens. */
  sessionOpen(tradeDate: number): number {
    const session = this.schedule?.session(tradeDate);
    if (session) return session.open;
    const localDate = this.opensEveningBefore ? tradeDate - DAY_MS : tradeDate;
    return localTimeToUtc(this.timezone, localDate, this.openMinutes);
  }

  /** The session of trade date `tradeDate`; undefined on a day without one (weekend, holiday).
   * Without exchange hours every day has one, from its open to the next day's. */
  session(tradeDate: number): TradingSession | undefined {
    if (this.schedule) return this.schedule.session(tradeDate);
    const open = this.sessionOpen(tradeDate);
    const close = this.sessionOpen(tradeDate + DAY_MS);
    return { tradeDate, open, close, spans: [{ from: open, to: close }] };
  }

  /** Sessions overlapping [fromMs, toMs), in order. */
  sessions(fromMs: number, toMs: number): TradingSession[] {
    if (this.schedule) return this.schedule.sessions(fromMs, toMs);
    const out: TradingSession[] = [];
    for (let d = this.tradeDate(fromMs); this.sessionOpen(d) < toMs; d += DAY_MS) out.push(this.session(d) as TradingSession);
    return out;
  }

  /** Whether this calendar knows the exchange's hours (sessions, breaks, holidays). */
  get hasExchangeHours(): boolean {
    return this.schedule !== undefined;
  }

  /** Whether the market trades at `ms` (always, without exchange hours). */
  isOpen(ms: number): boolean {
    return this.schedule ? this.schedule.isOpen(ms) : true;
  }

  /** When the market next opens after `ms`; null when it never closes (24/7, or no exchange hours). */
  nextOpen(ms: number): number | null {
    return this.schedule ? this.schedule.nextOpen(ms) : null;
  }

  /** When the market next closes after `ms`; null when it never closes. */
  nextClose(ms: number): number | null {
    return this.schedule ? this.schedule.nextClose(ms) : null;
  }

  /** Listed holidays of `year` (no trade date that day), in order. */
  holidays(year: number): CalendarDay[] {
    return this.schedule ? this.schedule.holidays(year) : [];
  }

  /** Listed early closes of `year`, in order. */
  earlyCloses(year: number): CalendarDay[] {
    return this.schedule ? this.schedule.earlyCloses(year) : [];
  }

  bucket(ms: number, tf: Timeframe): Bucket {
    const length = fixedLengthMs(tf);
    if (length !== undefined) return this.intradayBucket(ms, length);
    const { first, end } = this.bucketDates(ms, tf);
    return this.dateRange(first, end);
  }

  /** Dates [first, end) (00:00 UTC) of the day, week or month bucket of instant `ms`: its label is
   * `first`, the next bucket's is `end`. */
  bucketDates(ms: number, tf: Timeframe): { first: number; end: number } {
    const date = this.tradeDate(ms);
    switch (tf.unit) {
      case TimeframeUnit.day: {
        const first = Math.floor(date / DAY_MS / tf.value) * tf.value * DAY_MS;
        return { first, end: first + tf.value * DAY_MS };
      }
      case TimeframeUnit.week: {
        const span = 7 * DAY_MS * tf.value;
        const first = WEEK_ANCHOR_MONDAY + Math.floor((date - WEEK_ANCHOR_MONDAY) / span) * span;
        return { first, end: first + span };
      }
      default: {
        const d = new Date(date);
        const monthIndex = d.getUTCFullYear() * 12 + d.getUTCMonth();
        const firstIndex = Math.floor(monthIndex / tf.value) * tf.value;
        const first = Date.UTC(Math.floor(firstIndex / 12), firstIndex % 12, 1);
        const end = Date.UTC(Math.floor((firstIndex + tf.value) / 12), (firstIndex + tf.value) % 12, 1);
        return { first, end };
      }
    }
  }

  /** Trade dates [firstDate, endDate): from the first session's open to, on an exchange calendar,
   * the last session's close (a stock's daily bar is 09:30–16:00), else the next session's open. */
  private dateRange(firstDate: number, endDate: number): Bucket {
    if (this.schedule) {
      const first = this.schedule.session(this.schedule.tradeDateOnOrAfter(firstDate));
      const lastDate = this.schedule.previousTradeDate(endDate);
      const last = lastDate === undefined ? undefined : this.schedule.session(lastDate);
      if (first && last && first.tradeDate < endDate && last.tradeDate >= firstDate) {
        return { time: firstDate, from: first.open, to: last.close };
      }
    }
    return { time: firstDate, from: this.sessionOpen(firstDate), to: this.sessionOpen(endDate) };
  }

  /** Under an hour: aligned to the epoch. An hour or longer: anchored at the session open (on an
   * exchange calendar at the open of the span trading, so bars restart after a holiday halt) and
   * cut at its close (else the next session's open), so 4h bars start 22, 02, 06 … UTC on CME in summer. */
  private intradayBucket(ms: number, length: number): Bucket {
    if (length < HOUR_MS) {
      const from = Math.floor(ms / length) * length;
      return { time: from, from, to: from + length };
    }
    if (this.schedule) {
      // Open: the span trading; closed (a stock's extended hours): the closed period, so its
      // buckets never share a label with the session's.
      const period = this.schedule.spanAt(ms) ?? this.schedule.closedPeriodAt(ms);
      if (period) {
        const from = period.from + Math.floor((ms - period.from) / length) * length;
        return { time: from, from, to: Math.min(from + length, period.to) };
      }
    }
    const date = this.tradeDate(ms);
    const open = this.sessionOpen(date);
    const from = open + Math.floor((ms - open) / length) * length;
    const to = Math.min(from + length, this.sessionOpen(date + DAY_MS));
    return { time: from, from, to };
  }
}

export const UTC_CALENDAR: SessionCalendarSpec = { name: 'utc', timezone: 'UTC', sessionOpen: '00:00' };
export const CME_CALENDAR: SessionCalendarSpec = { name: 'cme_globex', timezone: 'America/Chicago', sessionOpen: '17:00' };
