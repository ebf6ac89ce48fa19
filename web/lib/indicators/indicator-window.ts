// How many bars before a range an indicator must read so that its values in the range equal the
// full-history computation, and the computation over such a window.
//
// The choice (documented in /api/openapi.json): rather than reading every bar up to `to`, read a
// warm-up window sized per indicator. Finite-window indicators (SMA, Bollinger) are exact after
// `warmupBars`. Exponentially smoothed ones (EMA, RSI and ATR with Wilder's smoothing, MACD's
// EMAs) remember their seed forever, but its weight decays as (1 − α)^k: after the window below it
// is under 2^-53, i.e. below double precision, so the windowed value equals the full-history one to
// the last bit the arithmetic can carry (checked by indicator-window.test.ts).
import {
  computeIndicatorSeries,
  getIndicatorDefinition,
  type IndicatorDefinition,
  type IndicatorValue,
  type OhlcBar,
} from '@barstream/core';

/** Steps of exponential smoothing with factor α after which the seed weighs < 2^-53. */
export function decayBars(alpha: number): number {
  return Math.ceil(Math.log(2 ** -53) / Math.log(1 - alpha));
}

const emaAlpha = (period: number): number => 2 / (period + 1);
const wilderAlpha = (period: number): number => 1 / period;

/** Bars to read before the first bar of a range so every value in it is exact. */
export function exactWarmupBars(def: IndicatorDefinition): number {
  const [p1 = 1, p2 = 1, p3 = 1] = def.params;
  switch (def.kind) {
    case 'sma':
    case 'bb':
      return def.warmupBars;
    case 'ema':
      return def.warmupBars + decayBars(emaAlpha(p1));
    case 'rsi':
    case 'atr':
      return def.warmupBars + decayBars(wilderAlpha(p1));
    case 'macd':
      // The slow EMA's seed (the longer period decays slower), then the signal EMA's over the MACD line.
      return def.warmupBars + decayBars(emaAlpha(Math.max(p1, p2))) + decayBars(emaAlpha(p3));
  }
}

/** The longest warm-up among `names` (all valid indicator names). */
export function warmupForNames(names: readonly string[]): number {
  return Math.max(0, ...names.map((n) => exactWarmupBars(getIndicatorDefinition(n))));
}

export interface IndicatorWindowPoint {
  readonly time: number;
  readonly value: IndicatorValue | null;
}

/**
 * Computes `name` over `bars` (warm-up window + range, strictly increasing times) and returns the
 * points of the last `rangeLength` bars.
 */
export function computeOverWindow(name: string, bars: readonly OhlcBar[], rangeLength: number): IndicatorWindowPoint[] {
  const points = computeIndicatorSeries(name, bars);
  const start = Math.max(0, points.length - rangeLength);
  const out = new Array<IndicatorWindowPoint>(points.length - start);
  for (let i = start; i < points.length; i++) {
    const p = points[i]!;
    out[i - start] = { time: p.time, value: p.value ?? null };
  }
  return out;
}
