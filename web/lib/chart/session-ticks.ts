// Where the time axis puts its day marks: at the session boundary in the exchange's time zone
// (CME: 17:00 America/Chicago, labelled with the trade date it opens) instead of at UTC midnight,
// and hour marks on the exchange's local hours. Produces lightweight-charts' tick mark weights. Pure.
import { type SessionCalendar, zoneOffsetMs } from '@barstream/core';
import { SessionClock } from './session-clock.ts';

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
/** Finest first. Each divisor divides the next, so a bar that crosses a boundary crosses every finer
 * one too: the bar's weight is that of the coarsest boundary crossed, the one before the first
 * boundary not crossed. Walked from the finest, a 1-minute bar stops after two or three steps
 * (from the coarsest, after seven): this runs for every bar of an answer before its first paint,
 * in code still running cold. */
const INTRADAY_DIVISORS: readonly number[] = [
  1_000,
  MINUTE_MS,
  5 * MINUTE_MS,
  30 * MINUTE_MS,
  HOUR_MS,
  3 * HOUR_MS,
  6 * HOUR_MS,
  12 * HOUR_MS,
];
const INTRADAY_WEIGHTS: readonly number[] = [
  TICK_WEIGHT.second,
  TICK_WEIGHT.minute1,
  TICK_WEIGHT.minute5,
  TICK_WEIGHT.minute30,
  TICK_WEIGHT.hour1,
  TICK_WEIGHT.hour3,
  TICK_WEIGHT.hour6,
  TICK_WEIGHT.hour12,
];

/** Weight of the bar at `currentSec` following the bar at `previousSec` (epoch seconds). */
export function sessionTickWeight(previousSec: number, currentSec: number, calendar: SessionCalendar): number {
  const prevDate = calendar.tradeDate(previousSec * 1000);
  const prevLocal = previousSec * 1000 + zoneOffsetMs(calendar.timezone, previousSec * 1000);
  const curDate = calendar.tradeDate(currentSec * 1000);
  const curLocal = currentSec * 1000 + zoneOffsetMs(calendar.timezone, currentSec * 1000);
  return weightBetween(prevDate, prevLocal, curDate, curLocal);
}

/** The weight of a bar from its trade date and local wall time (ms) and those of the bar before. */
function weightBetween(prevDate: number, prevLocal: number, curDate: number, curLocal: number): number {
  if (prevDate !== curDate) {
    const p = new Date(prevDate);
    const c = new Date(curDate);
    if (p.getUTCFullYear() !== c.getUTCFullYear()) return TICK_WEIGHT.year;
    if (p.getUTCMonth() !== c.getUTCMonth()) return TICK_WEIGHT.month;
    if (p.getUTCDate() !== c.getUTCDate()) return TICK_WEIGHT.day;
  }
  let weight: number = TICK_WEIGHT.lessThanSecond;
  for (let i = 0; i < INTRADAY_DIVISORS.length; i++) {
    const divisor = INTRADAY_DIVISORS[i] as number;
    if (Math.floor(prevLocal / divisor) === Math.floor(curLocal / divisor)) return weight;
    weight = INTRADAY_WEIGHTS[i] as number;
  }
  return weight;
}

/**
 * Weights for `count` bars (ascending epoch seconds, bar i at `timeAt(i)`) from `startIndex` on,
 * written through `set`. The first bar of all has no predecessor: it is weighed against one average
 * gap before it (as lightweight-charts does). Each bar's instant is read once (session-clock.ts).
 */
export function fillSessionWeights(
  count: number,
  timeAt: (index: number) => number,
  startIndex: number,
  calendar: SessionCalendar,
  set: (index: number, weight: number) => void,
): void {
  const clock = new SessionClock(calendar);
  const from = Math.max(1, startIndex);
  if (from < count) {
    clock.read(timeAt(from - 1) * 1000);
    let prevDate = clock.tradeDate;
    let prevLocal = clock.localMs;
    for (let i = from; i < count; i++) {
      clock.read(timeAt(i) * 1000);
      set(i, weightBetween(prevDate, prevLocal, clock.tradeDate, clock.localMs));
      prevDate = clock.tradeDate;
      prevLocal = clock.localMs;
    }
  }
  if (startIndex === 0 && count > 1) {
    const first = timeAt(0);
    const averageGap = Math.ceil((timeAt(count - 1) - first) / (count - 1));
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
