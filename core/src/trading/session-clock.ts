// The session (trade date) of each input, computed once per session: a calendar's tradeDate is an Intl
// time-zone conversion (tens of thousands a second), so per bar it would cap a backtest far below a
// million bars a second. Trade dates only move forward in time, so until the next session opens every
// instant belongs to the current one.

/** What the engine needs of a session calendar (`SessionCalendar` has both). */
export interface SessionBoundaries {
  /** The trade date of instant `ms`, as 00:00 UTC of that date. */
  tradeDate(ms: number): number;
  /** The UTC instant the session of `tradeDate` opens. */
  sessionOpen(tradeDate: number): number;
}

const DAY_MS = 86_400_000;

/** Sessions are UTC dates (crypto): the default. */
export const UTC_SESSIONS: SessionBoundaries = {
  tradeDate: (ms) => Math.floor(ms / DAY_MS) * DAY_MS,
  sessionOpen: (tradeDate) => tradeDate,
};

export class SessionClock {
  private current = NaN;
  private from = Infinity;
  private until = -Infinity;

  constructor(private readonly boundaries: SessionBoundaries = UTC_SESSIONS) {}

  /** The trade date of `ms`; cached for [the session's first instant seen, the next session's open). */
  sessionOf(ms: number): number {
    if (ms >= this.from && ms < this.until) return this.current;
    const date = this.boundaries.tradeDate(ms);
    this.current = date;
    this.from = Math.min(ms, this.boundaries.sessionOpen(date));
    this.until = this.boundaries.sessionOpen(date + DAY_MS);
    return date;
  }
}
