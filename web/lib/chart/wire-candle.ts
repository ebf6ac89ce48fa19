// A bar as /api/ohlc answers it, turned into the chart's candle (epoch seconds, as lightweight-charts
// wants them).
import { toEpochSeconds } from '@barstream/core';
import type { UTCTimestamp } from 'lightweight-charts';
import type { WireBar } from '../api/response-schemas.ts';
import type { Candle } from './candle-merge.ts';

export const asTime = (ms: number): UTCTimestamp => toEpochSeconds(ms) as number as UTCTimestamp;

export function toCandle(b: WireBar): Candle {
  return { time: asTime(Date.parse(b.timestamp)), open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume };
}
