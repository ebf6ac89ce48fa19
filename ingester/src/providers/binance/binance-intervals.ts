// Binance kline interval names for our timeframes, and how far one interval reaches.
import { DAY_MS, HOUR_MS, MINUTE_MS, ValidationError, formatTimeframe, type Timeframe } from '@barstream/core';

/** Every interval GET /api/v3/klines accepts (case-sensitive: '1m' is a minute, '1M' a month). */
const INTERVALS: Readonly<Record<string, number | undefined>> = {
  '1s': 1_000,
  '1m': MINUTE_MS,
  '3m': 3 * MINUTE_MS,
  '5m': 5 * MINUTE_MS,
  '15m': 15 * MINUTE_MS,
  '30m': 30 * MINUTE_MS,
  '1h': HOUR_MS,
  '2h': 2 * HOUR_MS,
  '4h': 4 * HOUR_MS,
  '6h': 6 * HOUR_MS,
  '8h': 8 * HOUR_MS,
  '12h': 12 * HOUR_MS,
  '1d': DAY_MS,
  '3d': 3 * DAY_MS,
  '1w': 7 * DAY_MS,
  // Months differ in length: paging uses the kline's own close time instead.
  '1M': undefined,
};

const SUFFIX = { 1: 's', 2: 'm', 3: 'h', 4: 'd', 5: 'w', 6: 'M' } as const;

export interface BinanceInterval {
  /** The `interval` query value, e.g. '15m' or '1M'. */
  readonly name: string;
  /** Fixed length in ms; undefined for months. */
  readonly lengthMs: number | undefined;
}

/** {unit: 2, value: 15} → '15m'. Throws a ValidationError naming the timeframe when Binance has no such interval. */
export function binanceInterval(timeframe: Timeframe): BinanceInterval {
  const name = `${timeframe.value}${SUFFIX[timeframe.unit]}`;
  if (!(name in INTERVALS)) {
    throw new ValidationError(
      'timeframe',
      `Binance has no ${formatTimeframe(timeframe)} klines ` + `(supported: ${Object.keys(INTERVALS).join(', ')})`,
    );
  }
  return { name, lengthMs: INTERVALS[name] };
}
