// Indicator contract: the streaming interface every technical indicator implements, and its value shapes.
import type { OhlcBar } from '../bar.ts';

/**
 * A stateful indicator fed one closed bar at a time.
 *
 * - `update(bar)` commits a closed bar and returns the indicator value at that bar, or `undefined`
 *   while still warming up (fewer than `warmupBars` bars committed).
 * - `preview(bar)` returns the value the indicator would have if `bar` (typically the still-forming
 *   bar) closed now. It never changes state and may be called any number of times; a later
 *   `update(bar)` with the same bar returns exactly the same value.
 * - `isReady` is true once `warmupBars` bars have been committed; from then on `update` never
 *   returns `undefined`.
 * - `value` is the value returned by the last `update`, or `undefined` before the first value.
 *
 * Both `update` and `preview` throw `IndicatorError` (state untouched) when the bar's time is not
 * strictly after the last committed bar ('OUT_OF_ORDER_BAR') or a price the indicator reads is not
 * finite ('INVALID_INPUT').
 */
export interface StreamingIndicator<V> {
  /** Canonical registry name, e.g. `ema_20`, `macd_12_26_9`, `bb_20_2`. */
  readonly name: string;
  /** Number of committed bars needed for the first value (TA-Lib "lookback" + 1). */
  readonly warmupBars: number;
  readonly isReady: boolean;
  readonly value: V | undefined;
  update(bar: OhlcBar): V | undefined;
  preview(bar: OhlcBar): V | undefined;
}

/** One MACD output: MACD line (fast EMA − slow EMA), its signal EMA, and line − signal. */
export interface MacdValue {
  readonly macd: number;
  readonly signal: number;
  readonly histogram: number;
}

/** One Bollinger output: SMA middle band and middle ± k population standard deviations. */
export interface BollingerValue {
  readonly middle: number;
  readonly upper: number;
  readonly lower: number;
}

/** Every value shape an indicator can produce. */
export type IndicatorValue = number | MacdValue | BollingerValue;
