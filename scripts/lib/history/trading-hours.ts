// When a contract trades, per session calendar: the sessions and the bar labels a complete history
// would hold. An exchange calendar (core/src/calendars) knows its sessions, breaks and holidays; for a
// calendar that is only a time zone and an open, this adds where sessions close and which days have none.
import { DAY_MS, fixedLengthMs, HOUR_MS, type SessionCalendar, type Timeframe, type TradingSession } from '@barstream/core';

export type { TradingSession } from '@barstream/core';

/** How a calendar without exchange hours is shaped beyond its open. */
interface SessionShape {
  /** Trade dates (UTC weekday, 0 = Sunday) that have a session. */
  readonly weekdays: ReadonlySet<number>;
  /** The session closes this long before the next one opens (CME's daily maintenance break). */
  readonly breakMs: number;
}

const EVERY_DAY: SessionShape = { weekdays: new Set([0, 1, 2, 3, 4, 5, 6]), breakMs: 0 };

/**
 * CME Globex given only as time zone + open: Sunday 17:00 to Friday 16:00 Chicago, with a 16:00-17:00
 * break every day; Saturday and Sunday have no trade date. Holidays are known only to the exchange
 * calendar (cme_equity_futures, which cme_globex names by default).
 */
const CME_GLOBEX: SessionShape = { weekdays: new Set([1, 2, 3, 4, 5]), breakMs: HOUR_MS };

/** Shapes by calendar name; any other calendar (crypto's 'utc' among them) trades around the clock. */
const SHAPES: Readonly<Record<string, SessionShape>> = { cme_globex: CME_GLOBEX };

export class TradingHours {
  private readonly shape: SessionShape;

  constructor(readonly calendar: SessionCalendar) {
    this.shape = SHAPES[calendar.name] ?? EVERY_DAY;
  }

  /** The session of trade date `tradeDate` (00:00 UTC of that date), or undefined on a day without
   * one: a weekend, or on an exchange calendar a holiday (not a gap in the data). */
  session(tradeDate: number): TradingSession | undefined {
    if (this.calendar.hasExchangeHours) return this.calendar.session(tradeDate);
    if (!this.shape.weekdays.has(new Date(tradeDate).getUTCDay())) return undefined;
    const open = this.calendar.sessionOpen(tradeDate);
    const close = this.calendar.sessionOpen(tradeDate + DAY_MS) - this.shape.breakMs;
    return { tradeDate, open, close, spans: [{ from: open, to: close }] };
  }

  /** Labels of the `tf` bars a session yields, ascending: every bucket its open spans overlap. */
  sessionLabels(session: TradingSession, tf: Timeframe): number[] {
    const length = fixedLengthMs(tf);
    if (length === undefined) return [this.calendar.bucket(session.open, tf).time];
    const labels: number[] = [];
    for (const span of session.spans) {
      if (length < HOUR_MS) {
        // Epoch-aligned: pure arithmetic, which matters for years of 1-minute buckets.
        for (let t = Math.floor(span.from / length) * length; t < span.to; t += length) {
          if (t !== labels[labels.length - 1]) labels.push(t);
        }
        continue;
      }
      for (let t = span.from; t < span.to;) {
        const bucket = this.calendar.bucket(t, tf);
        labels.push(bucket.time);
        t = bucket.to;
      }
    }
    return labels;
  }

  /** How many `tf` bars a session yields (sessionLabels(…).length without building the list). */
  sessionBarCount(session: TradingSession, tf: Timeframe): number {
    const length = fixedLengthMs(tf);
    if (length !== undefined && length < HOUR_MS && session.spans.length === 1) {
      return Math.ceil(session.close / length) - Math.floor(session.open / length);
    }
    return this.sessionLabels(session, tf).length;
  }
}
