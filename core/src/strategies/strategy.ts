// The strategy contract: closed bars in, in time order; signals out, each about one bar.
import type { z } from 'zod';
import type { OhlcBar } from '../bar.ts';

export interface StrategySignal {
  /** e.g. 'buy', 'sell', 'uptrend_start', 'downtrend_start' (detected_signals.signal_type). */
  readonly type: string;
  /** The bar the signal is about (its open time is detected_signals.timestamp). */
  readonly bar: OhlcBar;
  readonly price: number;
  readonly details: Readonly<Record<string, unknown>>;
}

/** The result of a bar without signals (most bars): shared, so nothing is allocated per bar. */
export const NO_SIGNALS: readonly StrategySignal[] = Object.freeze([]);

export interface Strategy {
  /** Feeds the next closed bar; returns the signals it produced (possibly about earlier bars). */
  update(bar: OhlcBar): readonly StrategySignal[];
}

export type StrategyParams = Readonly<Record<string, number | string | boolean>>;

export interface StrategyDefinition {
  readonly id: string;
  readonly description: string;
  /** The parameters `create` accepts (config validation checks targets against it); absent: none. */
  readonly params?: z.ZodType;
  create(params: StrategyParams): Strategy;
}
