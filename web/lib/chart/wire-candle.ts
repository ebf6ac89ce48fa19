// Epoch milliseconds as the chart's bar time (epoch seconds, as lightweight-charts wants them).
// Wire bars become candles in ohlc-candles.ts.
import { toEpochSeconds } from '@barstream/core';
import type { UTCTimestamp } from 'lightweight-charts';

export const asTime = (ms: number): UTCTimestamp => toEpochSeconds(ms) as number as UTCTimestamp;
