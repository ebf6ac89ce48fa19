// An /api/ohlc answer read straight into the chart's candles: the checks of ohlcResponseSchema
// (web/lib/api/response-schemas.ts) and toCandle's conversion in one pass over the bars. Through
// zod, 10,000 bars were first copied (a new object each) and then converted (Date.parse each) before
// the first paint: ~160 ms of cold code and garbage on a loaded machine. Same answers accepted and
// refused as the schema (ohlc-candles.test.ts holds the two side by side).
import type { Candle } from './candle-merge.ts';
import { isoEpochMs } from './iso-epoch.ts';
import { asTime } from './wire-candle.ts';

export interface OhlcCandles {
  readonly contract_id: string;
  readonly timeframe: string;
  /** Oldest first, as answered (not sorted, not deduplicated: the candle store does that). */
  readonly candles: Candle[];
  /** The newest bar is closed (`is_closed`): a late trade must not move it on the chart. */
  readonly lastClosed: boolean;
}

type Read = { readonly success: true; readonly data: OhlcCandles } | { readonly success: false };

const REFUSED: Read = { success: false };

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The candle of one wire bar, or undefined when the bar is not one ohlcResponseSchema accepts. */
function candleOf(value: unknown): Candle | undefined {
  const b = record(value);
  if (!b) return undefined;
  const { timestamp, open, high, low, close, volume } = b;
  if (typeof timestamp !== 'string' || typeof b.is_closed !== 'boolean') return undefined;
  if (!isNumber(open) || !isNumber(high) || !isNumber(low) || !isNumber(close) || !isNumber(volume)) return undefined;
  return { time: asTime(isoEpochMs(timestamp)), open, high, low, close, volume };
}

/** Has getJson's reader shape (as a zod schema's safeParse). */
export const ohlcCandles = {
  safeParse(body: unknown): Read {
    const o = record(body);
    if (!o || typeof o.contract_id !== 'string' || typeof o.timeframe !== 'string' || !Array.isArray(o.bars)) return REFUSED;
    const bars = o.bars as unknown[];
    const candles: Candle[] = [];
    let newest: Candle | undefined;
    let lastClosed = false;
    for (let i = 0; i < bars.length; i++) {
      const c = candleOf(bars[i]);
      if (!c) return REFUSED;
      candles.push(c);
      if (newest === undefined || c.time >= newest.time) {
        newest = c;
        lastClosed = (bars[i] as { is_closed: boolean }).is_closed;
      }
    }
    return { success: true, data: { contract_id: o.contract_id, timeframe: o.timeframe, candles, lastClosed } };
  },
};
