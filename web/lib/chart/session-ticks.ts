// Where the time axis puts its day marks: at the session boundary in the exchange's time zone
// (CME: 17:00 America/Chicago, labelled with the trade date it opens) instead of at UTC midnight,
// and hour marks on the exchange's local hours. Produces lightweight-charts' tick mark weights. Pure.
import { type SessionCalendar, zoneOffsetMs } from '@barstream/core';

/** lightweight-charts' TickMarkWeight values (a const enum in its typings). */
export const TICK_WEIGHT = {
  lessThanSecond: 0,
  second: 10,
  minute1: 20,
  minute5: 21,
  minute30: 22,
  hour1: 30,
  hour3: 31,
  hour6: 32,
  hour12: 33,
  day: 50,
  month: 60,
  year: 70,
} as const;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** Coarsest first: the first boundary crossed between two bars gives the later bar its weight. */
const INTRADAY: readonly (readonly [number, number])[] = [
  [12 * HOUR_MS, TICK_WEIGHT.hour12],
  [6 * HOUR_MS, TICK_WEIGHT.hour6],
  [3 * HOUR_MS, TICK_WEIGHT.hour3],
  [HOUR_MS, TICK_WEIGHT.hour1],
  [30 * MINUTE_MS, TICK_WEIGHT.minute30],
  [5 * MINUTE_MS, TICK_WEIGHT.minute5],
  [MINUTE_MS, TICK_WEIGHT.minute1],
  [1_000, TICK_WEIGHT.second],
];

/** Weight of the bar at `currentSec` following the bar at `previousSec` (epoch seconds). */
export function sessionTickWeight(previousSec: number, currentSec: number, calendar: SessionCalendar): number {
  const prevMs = previousSec * 1000;
  const curMs = currentSec * 1000;
  const prevDate = new Date(calendar.tradeDate(prevMs));
  const curDate = new Date(calendar.tradeDate(curMs));
  if (prevDate.getUTCFullYear() !== curDate.getUTCFullYear()) return TICK_WEIGHT.year;
  if (prevDate.getUTCMonth() !== curDate.getUTCMonth()) return TICK_WEIGHT.month;
  if (prevDate.getUTCDate() !== curDate.getUTCDate()) return TICK_WEIGHT.day;
  const prevLocal = prevMs + zoneOffsetMs(calendar.timezone, prevMs);
  const curLocal = curMs + zoneOffsetMs(calendar.timezone, curMs);
  for (const [divisor, weight] of INTRADAY) {
    if (Math.floor(prevLocal / divisor) !== Math.floor(curLocal / divisor)) return weight;
  }
  return TICK_WEIGHT.lessThanSecond;
}

/**
 * Weights for bars `times` (ascending epoch seconds) from `startIndex` on, written through `set`.
 * The first bar of all has no predecessor: it is weighed against one average gap before it (as
 * lightweight-charts does).
 */
export function fillSessionWeights(
  times: readonly number[],
  startIndex: number,
  calendar: SessionCalendar,
  set: (index: number, weight: number) => void,
): void {
  for (let i = Math.max(1, startIndex); i < times.length; i++) {
    set(i, sessionTickWeight(times[i - 1] as number, times[i] as number, calendar));
  }
  if (startIndex === 0 && times.length > 1) {
    const first = times[0] as number;
    const averageGap = Math.ceil(((times[times.length - 1] as number) - first) / (times.length - 1));
    set(0, sessionTickWeight(first - averageGap, first, calendar));
  }
}

/** The trade date a session-boundary mark names: "5 Jan" for the session opening 4 Jan 17:00 CT. */
export function tradeDateLabel(
  epochSeconds: number,
  calendar: SessionCalendar,
): { readonly day: number; readonly month: number; readonly year: number } {
  const d = new Date(calendar.tradeDate(epochSeconds * 1000));
  return { day: d.getUTCDate(), month: d.getUTCMonth() + 1, year: d.getUTCFullYear() };
}
