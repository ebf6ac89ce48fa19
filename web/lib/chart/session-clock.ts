// A bar instant's trade date and exchange-local wall time, for weighing the time axis's marks over
// thousands of bars: the calendar (Intl time-zone parts, the exchange schedule) is asked at the two
// ends of a span of time, not twice per bar. Exact: a span (≤ 3 hours) whose ends have the same
// zone offset holds no offset change (no zone changes twice in 3 hours), so its local time runs
// forward, and a trade date that only grows with local time is the same at both ends only if it is
// the same throughout. A 3-hour span that fails either check (a session opens or the offset changes
// in it) is read by quarter hours, and a quarter hour that fails, bar by bar.
import { type SessionCalendar, zoneOffsetMs } from '@barstream/core';

const COARSE_MS = 3 * 3_600_000;
const FINE_MS = 15 * 60_000;

/** One span of time and whether one trade date and one zone offset hold all through it. */
class Span {
  index = Number.NaN;
  uniform = false;
  tradeDate = 0;
  offset = 0;

  constructor(readonly length: number) {}

  enter(index: number, calendar: SessionCalendar): void {
    this.index = index;
    const start = index * this.length;
    const end = start + this.length - 1;
    this.offset = zoneOffsetMs(calendar.timezone, start);
    this.tradeDate = calendar.tradeDate(start);
    this.uniform = zoneOffsetMs(calendar.timezone, end) === this.offset && calendar.tradeDate(end) === this.tradeDate;
  }
}

export class SessionClock {
  /** Of the instant last read. */
  tradeDate = 0;
  localMs = 0;
  private readonly coarse = new Span(COARSE_MS);
  private readonly fine = new Span(FINE_MS);

  constructor(private readonly calendar: SessionCalendar) {}

  /** Reads the instant `ms` (epoch milliseconds) into `tradeDate` and `localMs`. */
  read(ms: number): void {
    const span = this.uniformSpan(ms);
    if (span) {
      this.tradeDate = span.tradeDate;
      this.localMs = ms + span.offset;
    } else {
      this.tradeDate = this.calendar.tradeDate(ms);
      this.localMs = ms + zoneOffsetMs(this.calendar.timezone, ms);
    }
  }

  private uniformSpan(ms: number): Span | undefined {
    const coarse = Math.floor(ms / COARSE_MS);
    if (coarse !== this.coarse.index) this.coarse.enter(coarse, this.calendar);
    if (this.coarse.uniform) return this.coarse;
    const fine = Math.floor(ms / FINE_MS);
    if (fine !== this.fine.index) this.fine.enter(fine, this.calendar);
    return this.fine.uniform ? this.fine : undefined;
  }
}
