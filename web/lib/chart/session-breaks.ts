// Where a new session starts among the chart's candles: the first candle of each trade date, which
// the chart marks with a vertical line so the overnight halt, a weekend or a holiday reads as a break
// rather than as one continuous market. Pure.
import type { SessionCalendar } from '@barstream/core';
import { SessionClock } from './session-clock.ts';

/** Indices in [from, to] of candles (`time` in epoch seconds, ascending) whose trade date differs
 * from the previous candle's: only the range asked for is examined (the chart asks for what is in view). */
export function sessionBreakIndices(
  times: readonly { readonly time: number }[],
  from: number,
  to: number,
  calendar: SessionCalendar,
): number[] {
  const first = Math.max(1, Math.floor(from));
  const last = Math.min(times.length - 1, Math.ceil(to));
  const out: number[] = [];
  if (first > last) return out;
  // Read through a SessionClock: a few calendar reads per 3 hours of candles, not one per candle.
  const clock = new SessionClock(calendar);
  clock.read((times[first - 1]?.time ?? 0) * 1000);
  let previous = clock.tradeDate;
  for (let i = first; i <= last; i++) {
    clock.read((times[i]?.time ?? 0) * 1000);
    const date = clock.tradeDate;
    if (date !== previous) out.push(i);
    previous = date;
  }
  return out;
}
