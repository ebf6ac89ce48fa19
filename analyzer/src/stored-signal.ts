// A strategy's signal as the analyzer stores it: the signal and the bar whose close triggered it.
import type { StrategySignal } from '@barstream/core';

export interface StoredSignal extends StrategySignal {
  /** Open time of the bar whose close triggered the signal (it may be about an earlier bar). */
  readonly triggerTime: number;
}
