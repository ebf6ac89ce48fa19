// Alpaca bar timeframe names for our timeframes, and where such a bar ends.
import {
  DAY_MS,
  ValidationError,
  TimeframeUnit,
  fixedLengthMs,
  formatTimeframe,
  localDateAndMinutes,
  localTimeToUtc,
  type Timeframe,
} from '@barstream/core';

/** Alpaca stamps daily, weekly and monthly bars at midnight New York time of their first day. */
export const ALPACA_TIME_ZONE = 'America/New_York';

const MONTHS = new Set([1, 2, 3, 4, 6, 12]);

/** {unit: minute, value: 5} → '5Min'. Throws a ValidationError naming the timeframe Alpaca has no bars of. */
export function alpacaTimeframe(tf: Timeframe): string {
  const { unit, value } = tf;
  if (unit === TimeframeUnit.minute && value >= 1 && value <= 59) return `${value}Min`;
  if (unit === TimeframeUnit.hour && value >= 1 && value <= 23) return `${value}Hour`;
  if (unit === TimeframeUnit.day && value === 1) return '1Day';
  if (unit === TimeframeUnit.week && value === 1) return '1Week';
  if (unit === TimeframeUnit.month && MONTHS.has(value)) return `${value}Month`;
  throw new ValidationError(
    'timeframe',
    `Alpaca has no ${formatTimeframe(tf)} bars (supported: 1–59 minutes, 1–23 hours, 1d, 1w, 1/2/3/4/6/12 months)`,
  );
}

/** Our label of an Alpaca bar stamped `t`: intraday bars keep their open time; daily and longer bars
 * carry their New York date at 00:00 UTC (barstream's trade-date form). */
export function barLabel(t: number, tf: Timeframe): number {
  if (fixedLengthMs(tf) !== undefined) return t;
  return localDateAndMinutes(ALPACA_TIME_ZONE, t).date;
}

/** When the bar stamped `t` is complete (its bucket has ended). */
export function barEnd(t: number, tf: Timeframe): number {
  const length = fixedLengthMs(tf);
  if (length !== undefined) return t + length;
  const date = localDateAndMinutes(ALPACA_TIME_ZONE, t).date;
  let next: number;
  if (tf.unit === TimeframeUnit.day) next = date + tf.value * DAY_MS;
  else if (tf.unit === TimeframeUnit.week) next = date + 7 * tf.value * DAY_MS;
  else {
    const d = new Date(date);
    next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + tf.value, 1);
  }
  return localTimeToUtc(ALPACA_TIME_ZONE, next, 0);
}
