// Timeframe: a bar length as ProjectX unit + value, with its one readable string form ('5m', '1d').
import { ValidationError } from './errors.ts';

/** ProjectX units, as stored in ohlc_bars.timeframe_unit. */
export const TimeframeUnit = { second: 1, minute: 2, hour: 3, day: 4, week: 5, month: 6 } as const;
export type TimeframeUnit = (typeof TimeframeUnit)[keyof typeof TimeframeUnit];

export interface Timeframe {
  readonly unit: TimeframeUnit;
  readonly value: number;
}

const SUFFIX: Record<TimeframeUnit, string> = { 1: 's', 2: 'm', 3: 'h', 4: 'd', 5: 'w', 6: 'mo' };
const UNIT_OF_SUFFIX: Record<string, TimeframeUnit> = {
  s: 1,
  m: 2,
  h: 3,
  d: 4,
  w: 5,
  mo: 6,
  M: 6,
};
const UNIT_MS: Partial<Record<TimeframeUnit, number>> = { 1: 1000, 2: 60_000, 3: 3_600_000 };

export function isTimeframeUnit(n: number): n is TimeframeUnit {
  return Number.isInteger(n) && n >= 1 && n <= 6;
}

/** '5m' → {unit: 2, value: 5}. Accepts 'mo' or 'M' for months (Binance writes '1M'). */
export function parseTimeframe(text: string, field = 'timeframe'): Timeframe {
  const match = /^(\d{1,4})(s|m|h|d|w|mo|M)$/.exec(text.trim());
  if (!match) throw new ValidationError(field, `'${text}' is not a timeframe like 1m, 5m, 1h, 4h, 1d, 1w, 1mo`);
  const value = Number(match[1]);
  const unit = UNIT_OF_SUFFIX[match[2] as string] as TimeframeUnit;
  return timeframeOf(unit, value, field);
}

export function timeframeOf(unit: number, value: number, field = 'timeframe'): Timeframe {
  if (!isTimeframeUnit(unit)) throw new ValidationError(`${field}_unit`, `${unit} is not a unit 1..6`);
  if (!Number.isInteger(value) || value < 1) throw new ValidationError(`${field}_value`, `${value} is not a positive integer`);
  return { unit, value };
}

export function formatTimeframe(tf: Timeframe): string {
  return `${tf.value}${SUFFIX[tf.unit]}`;
}

/** Fixed length of intraday timeframes; undefined for day/week/month (calendar-dependent). */
export function fixedLengthMs(tf: Timeframe): number | undefined {
  const unitMs = UNIT_MS[tf.unit];
  return unitMs === undefined ? undefined : unitMs * tf.value;
}

export function sameTimeframe(a: Timeframe, b: Timeframe): boolean {
  return a.unit === b.unit && a.value === b.value;
}

/** Orders timeframes from shortest to longest (for pickers and rollups). */
export function compareTimeframes(a: Timeframe, b: Timeframe): number {
  return a.unit - b.unit || a.value - b.value;
}
