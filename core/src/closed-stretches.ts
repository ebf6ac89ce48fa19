// Stretches of time with no bar of a calendar-date timeframe (day, week, month): a trade outside its
// exchange's hours (a stock's after-hours trade, a trade in CME's daily halt) has no daily bar, and
// finding that out asks the calendar for the trade's bucket (trade date, sessions, time-zone offset:
// ~10 % of the ingester's main thread in a flood with CME halt-hour trades). After one such miss at t,
// every instant up to the market's next open is a miss too: one with t's trade date has t's bucket;
// one with a later trade date has a bucket from that date's first open, which is no earlier than the
// next open after t. So the aggregator asks the calendar once per closed stretch.
import type { SessionCalendar } from './session-calendar.ts';

export class ClosedStretches {
  /** Per calendar, per timeframe index: [from, to) of the stretch last found closed (NaN: none). */
  private readonly byCalendar = new Map<SessionCalendar, Float64Array>();

  constructor(private readonly timeframes: number) {}

  /** `time` lies in a stretch found closed for timeframe `i` of `calendar`. */
  has(calendar: SessionCalendar, i: number, time: number): boolean {
    const stretch = this.byCalendar.get(calendar);
    return stretch !== undefined && time >= (stretch[2 * i] as number) && time < (stretch[2 * i + 1] as number);
  }

  /** `time` had no bucket of timeframe `i` (a calendar-date one): closed until the market next opens. */
  remember(calendar: SessionCalendar, i: number, time: number): void {
    const next = calendar.nextOpen(time);
    if (next === null) return;
    let stretch = this.byCalendar.get(calendar);
    if (!stretch) {
      stretch = new Float64Array(2 * this.timeframes).fill(NaN);
      this.byCalendar.set(calendar, stretch);
    }
    stretch[2 * i] = time;
    stretch[2 * i + 1] = next;
  }
}
