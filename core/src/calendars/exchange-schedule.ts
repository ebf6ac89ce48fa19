// Exchange schedule: the sessions a calendar's data yields — trade dates, the spans each session is
// open (a holiday halt splits one in two), holidays and early closes, and when the market opens next.
import { DAY_MS } from '../time.ts';
import { localDateAndMinutes, localTimeToUtc } from '../time-zone.ts';
import type { CalendarData } from './calendar-data.ts';
import { wallMinutes } from './wall-minutes.ts';

/** Trading at from <= t < to, without a break. */
export interface OpenSpan {
  readonly from: number;
  readonly to: number;
}

/** One trade date's session: `tradeDate` is 00:00 UTC of that date; trades at open <= t < close in
 * one of `spans` belong to it. Usually one span; a holiday halt before it adds one. */
export interface TradingSession {
  readonly tradeDate: number;
  readonly open: number;
  readonly close: number;
  readonly spans: readonly OpenSpan[];
}

/** A listed holiday or early close: `date` is 00:00 UTC of the local date; `closes` 'HH:MM' local
 * when trading stops early that day (absent: closed all day). */
export interface CalendarDay {
  readonly date: number;
  readonly name: string;
  readonly closes?: string;
}

/** Longest run of days without a trade date searched through (a weekend plus holidays is 4). */
const MAX_CLOSED_DAYS = 10;
/** nextOpen/nextClose look this far ahead; a market open throughout (crypto) has neither. */
const LOOKAHEAD_MS = 21 * DAY_MS;
/** Sessions kept computed: a live service asks about the same few trade dates over and over. */
const SESSION_CACHE_SIZE = 512;

interface Holiday {
  readonly name: string;
  readonly closes: number | undefined;
}

export class ExchangeSchedule {
  readonly timezone: string;
  private readonly openMinutes: number;
  private readonly closeMinutes: number;
  private readonly opensDayBefore: boolean;
  private readonly weekdays: ReadonlySet<number>;
  private readonly holidayByDate = new Map<number, Holiday>();
  private readonly earlyCloseByDate = new Map<number, Holiday>();
  private readonly sessionCache = new Map<number, TradingSession | null>();
  private lastFound: TradingSession | undefined;

  constructor(readonly data: CalendarData) {
    this.timezone = data.timezone;
    this.openMinutes = wallMinutes(data.session.open);
    this.closeMinutes = wallMinutes(data.session.close);
    this.opensDayBefore = this.openMinutes >= this.closeMinutes;
    this.weekdays = new Set(data.trading_weekdays);
    for (const h of data.holidays) {
      this.holidayByDate.set(Date.parse(h.date), { name: h.name, closes: h.closes === undefined ? undefined : wallMinutes(h.closes) });
    }
    for (const e of data.early_closes) this.earlyCloseByDate.set(Date.parse(e.date), { name: e.name, closes: wallMinutes(e.closes) });
  }

  /** Whether `date` (00:00 UTC of a local date) has a session of its own. */
  isTradeDate(date: number): boolean {
    return this.weekdays.has(new Date(date).getUTCDay()) && !this.holidayByDate.has(date);
  }

  /** `date` if it is a trade date, else the next one. */
  tradeDateOnOrAfter(date: number): number {
    for (let d = date, i = 0; i <= MAX_CLOSED_DAYS; d += DAY_MS, i++) if (this.isTradeDate(d)) return d;
    return date;
  }

  /** The last trade date before `date`, or undefined when none lies within MAX_CLOSED_DAYS. */
  previousTradeDate(date: number): number | undefined {
    for (let d = date - DAY_MS, i = 0; i <= MAX_CLOSED_DAYS; d -= DAY_MS, i++) if (this.isTradeDate(d)) return d;
    return undefined;
  }

  /** The session of trade date `tradeDate`, or undefined on a day without one. */
  session(tradeDate: number): TradingSession | undefined {
    const cached = this.sessionCache.get(tradeDate);
    if (cached !== undefined) return cached ?? undefined;
    const session = this.computeSession(tradeDate);
    if (this.sessionCache.size >= SESSION_CACHE_SIZE) this.sessionCache.clear();
    this.sessionCache.set(tradeDate, session ?? null);
    return session;
  }

  /** The session trading at `ms`, else the next one to open (the one after a close, a weekend, a holiday). */
  sessionAtOrAfter(ms: number): TradingSession {
    // Live callers ask about the present over and over: inside the last session found, it is the answer.
    const last = this.lastFound;
    if (last && ms >= last.open && ms < last.close) return last;
    const session = this.findSessionAtOrAfter(ms);
    this.lastFound = session;
    return session;
  }

  private findSessionAtOrAfter(ms: number): TradingSession {
    const { date } = localDateAndMinutes(this.timezone, ms);
    // A session closes on its trade date's local day at the latest, so none before yesterday's matters.
    let tradeDate = this.tradeDateOnOrAfter(date - DAY_MS);
    for (let i = 0; i <= MAX_CLOSED_DAYS; i++) {
      const session = this.session(tradeDate);
      if (session && session.close > ms) return session;
      tradeDate = this.tradeDateOnOrAfter(tradeDate + DAY_MS);
    }
    throw new RangeError(`calendar ${this.data.name}: no session within ${MAX_CLOSED_DAYS} days of ${new Date(ms).toISOString()}`);
  }

  /** The open span containing `ms`, if the market trades then. */
  spanAt(ms: number): OpenSpan | undefined {
    return this.sessionAtOrAfter(ms).spans.find((s) => s.from <= ms && ms < s.to);
  }

  /** The closed period around `ms` (a halt, a night, a weekend, a holiday), from the last close to
   * the next open; undefined while the market trades. */
  closedPeriodAt(ms: number): OpenSpan | undefined {
    const session = this.sessionAtOrAfter(ms);
    const next = session.spans.findIndex((s) => s.from > ms);
    if (next < 0) return undefined;
    const before = session.spans[next - 1];
    if (before) return { from: before.to, to: (session.spans[next] as OpenSpan).from };
    const previousDate = this.previousTradeDate(session.tradeDate);
    const previous = previousDate === undefined ? undefined : this.session(previousDate);
    return { from: previous ? previous.close : Math.min(ms, session.open), to: session.open };
  }

  isOpen(ms: number): boolean {
    return this.spanAt(ms) !== undefined;
  }

  /** When the market next opens after `ms` (after the coming close when it is open now); null when
   * it trades without a break for LOOKAHEAD_MS (a 24/7 market). */
  nextOpen(ms: number): number | null {
    for (const period of this.periodsFrom(ms)) if (period.from > ms) return period.from;
    return null;
  }

  /** When the market next closes after `ms`; null when it does not within LOOKAHEAD_MS. */
  nextClose(ms: number): number | null {
    for (const period of this.periodsFrom(ms)) if (period.to < ms + LOOKAHEAD_MS) return period.to;
    return null;
  }

  /** Sessions overlapping [fromMs, toMs), in order. */
  sessions(fromMs: number, toMs: number): TradingSession[] {
    const out: TradingSession[] = [];
    for (let s = this.sessionAtOrAfter(fromMs); s.open < toMs; s = this.sessionAtOrAfter(s.close)) out.push(s);
    return out;
  }

  /** Listed holidays of `year` (local dates), in order. */
  holidays(year: number): CalendarDay[] {
    return this.data.holidays
      .filter((h) => h.date.startsWith(`${year}-`))
      .map((h) => ({ date: Date.parse(h.date), name: h.name, ...(h.closes ? { closes: h.closes } : {}) }));
  }

  /** Listed early closes of `year`, in order. */
  earlyCloses(year: number): CalendarDay[] {
    return this.data.early_closes
      .filter((e) => e.date.startsWith(`${year}-`))
      .map((e) => ({ date: Date.parse(e.date), name: e.name, closes: e.closes }));
  }

  private computeSession(tradeDate: number): TradingSession | undefined {
    if (!this.isTradeDate(tradeDate)) return undefined;
    const previous = this.previousTradeDate(tradeDate) ?? tradeDate - DAY_MS;
    const spans: OpenSpan[] = [];
    for (let d = previous + DAY_MS; d <= tradeDate; d += DAY_MS) {
      const span = this.spanEndingOn(d);
      if (span) spans.push(span);
    }
    const first = spans[0];
    const last = spans[spans.length - 1];
    if (!first || !last) return undefined;
    return { tradeDate, open: first.from, close: last.to, spans };
  }

  /** Trading that ends on local date `date`: the regular session, cut short by a holiday halt or
   * an early close; none on a closed holiday or a day of the week without trading. */
  private spanEndingOn(date: number): OpenSpan | undefined {
    if (!this.weekdays.has(new Date(date).getUTCDay())) return undefined;
    const holiday = this.holidayByDate.get(date);
    if (holiday && holiday.closes === undefined) return undefined;
    const closes = holiday?.closes ?? this.earlyCloseByDate.get(date)?.closes ?? this.closeMinutes;
    const from = localTimeToUtc(this.timezone, this.opensDayBefore ? date - DAY_MS : date, this.openMinutes);
    return { from, to: localTimeToUtc(this.timezone, date, closes) };
  }

  /** Open periods from the one containing `ms` (or the next) up to LOOKAHEAD_MS ahead, with
   * spans that touch (a 24/7 market's days) merged into one. */
  private *periodsFrom(ms: number): Generator<OpenSpan> {
    let current: OpenSpan | undefined;
    for (let s = this.sessionAtOrAfter(ms); s.open < ms + LOOKAHEAD_MS; s = this.sessionAtOrAfter(s.close)) {
      for (const span of s.spans) {
        if (span.to <= ms) continue;
        if (current && current.to === span.from) current = { from: current.from, to: span.to };
        else {
          if (current) yield current;
          current = span;
        }
      }
    }
    if (current) yield current;
  }
}
