// When a contract trades, per session calendar: the sessions and the bar labels a complete history
// would hold. The calendar knows where sessions open; this adds where they close and which days have none.
import { DAY_MS, fixedLengthMs, HOUR_MS, type SessionCalendar, type Timeframe } from '@barstream/core';

/** One trading session: trades at open <= t < close belong to trade date `tradeDate` (00:00 UTC). */
export interface TradingSession {
  readonly tradeDate: number;
  readonly open: number;
  readonly close: number;
}

/** How a calendar's sessions are shaped beyond their open. */
interface SessionShape {
  /** Trade dates (UTC weekday, 0 = Sunday) that have a session. */
  readonly weekdays: ReadonlySet<number>;
  /** The session closes this long before the next one opens (CME's daily maintenance break). */
  readonly breakMs: number;
}

const EVERY_DAY: SessionShape = { weekdays: new Set([0, 1, 2, 3, 4, 5, 6]), breakMs: 0 };

/**
 * CME Globex: Sunday 17:00 to Friday 16:00 Chicago, with a 16:00-17:00 break every day; a session's
 * trade date is the weekday it closes on, so Saturday and Sunday have none. Exchange holidays are not
 * modelled: they show up as gaps, which is what a user checking completeness wants to see.
 */
const CME_GLOBEX: SessionShape = { weekdays: new Set([1, 2, 3, 4, 5]), breakMs: HOUR_MS };

/** Shapes by calendar name; any other calendar (crypto's 'utc' among them) trades around the clock. */
const SHAPES: Readonly<Record<string, SessionShape>> = { cme_globex: CME_GLOBEX };

export class TradingHours {
  private readonly shape: SessionShape;

  constructor(readonly calendar: SessionCalendar) {
    this.shape = SHAPES[calendar.name] ?? EVERY_DAY;
  }

  /** The session of trade date `tradeDate` (00:00 UTC of that date), or undefined on a day without one. */
  session(tradeDate: number): TradingSession | undefined {
    if (!this.shape.weekdays.has(new Date(tradeDate).getUTCDay())) return undefined;
    const open = this.calendar.sessionOpen(tradeDate);
    return { tradeDate, open, close: this.calendar.sessionOpen(tradeDate + DAY_MS) - this.shape.breakMs };
  }

  /** Labels of the `tf` bars a session yields, ascending: every bucket it overlaps. */
  sessionLabels(session: TradingSession, tf: Timeframe): number[] {
    const length = fixedLengthMs(tf);
    if (length === undefined) return [this.calendar.bucket(session.open, tf).time];
    if (length < HOUR_MS) {
      // Epoch-aligned: pure arithmetic, which matters for years of 1-minute buckets.
      const labels: number[] = [];
      for (let t = Math.floor(session.open / length) * length; t < session.close; t += length) labels.push(t);
      return labels;
    }
    const labels: number[] = [];
    for (let t = session.open; t < session.close;) {
      const bucket = this.calendar.bucket(t, tf);
      labels.push(bucket.time);
      t = bucket.to;
    }
    return labels;
  }

  /** How many `tf` bars a session yields (sessionLabels(…).length without building the list). */
  sessionBarCount(session: TradingSession, tf: Timeframe): number {
    const length = fixedLengthMs(tf);
    if (length !== undefined && length < HOUR_MS) {
      return Math.ceil(session.close / length) - Math.floor(session.open / length);
    }
    return this.sessionLabels(session, tf).length;
  }
}
