// Coinbase candle granularity names for our timeframes (GET …/market/products/{id}/candles?granularity=…).
import { DAY_MS, HOUR_MS, MINUTE_MS, ValidationError, formatTimeframe, type Timeframe } from '@barstream/core';

/** Every granularity the candles endpoint documents, by our timeframe text. */
const GRANULARITIES: Readonly<Record<string, { readonly name: string; readonly lengthMs: number }>> = {
  '1m': { name: 'ONE_MINUTE', lengthMs: MINUTE_MS },
  '5m': { name: 'FIVE_MINUTE', lengthMs: 5 * MINUTE_MS },
  '15m': { name: 'FIFTEEN_MINUTE', lengthMs: 15 * MINUTE_MS },
  '30m': { name: 'THIRTY_MINUTE', lengthMs: 30 * MINUTE_MS },
  '1h': { name: 'ONE_HOUR', lengthMs: HOUR_MS },
  '2h': { name: 'TWO_HOUR', lengthMs: 2 * HOUR_MS },
  '4h': { name: 'FOUR_HOUR', lengthMs: 4 * HOUR_MS },
  '6h': { name: 'SIX_HOUR', lengthMs: 6 * HOUR_MS },
  '1d': { name: 'ONE_DAY', lengthMs: DAY_MS },
};

export interface CoinbaseGranularity {
  /** The `granularity` query value, e.g. 'FIVE_MINUTE'. */
  readonly name: string;
  readonly lengthMs: number;
}

/** {unit: 2, value: 5} → FIVE_MINUTE. Throws a ValidationError naming the timeframe when Coinbase has no such candles. */
export function coinbaseGranularity(timeframe: Timeframe): CoinbaseGranularity {
  const text = formatTimeframe(timeframe);
  const found = GRANULARITIES[text];
  if (!found) {
    throw new ValidationError('timeframe', `Coinbase has no ${text} candles (supported: ${Object.keys(GRANULARITIES).join(', ')})`);
  }
  return found;
}
