// cus_cds_trend_finder as a Strategy: trend starts become uptrend_start / downtrend_start signals.
import type { OhlcBar } from '../bar.ts';
import { NO_SIGNALS, type Strategy, type StrategyDefinition, type StrategySignal } from './strategy.ts';
import { TrendStartFinder } from './trend-start-finder.ts';
import { defineStrategy, NO_PARAMS } from './strategy-params.ts';

export class TrendStartStrategy implements Strategy {
  private readonly finder = new TrendStartFinder();
  private volumes = new Float64Array(1024);

  update(bar: OhlcBar): readonly StrategySignal[] {
    const signals = this.finder.update(bar);
    const index = this.finder.barCount;
    if (index >= this.volumes.length) {
      const grown = new Float64Array(this.volumes.length * 2);
      grown.set(this.volumes);
      this.volumes = grown;
    }
    this.volumes[index] = bar.volume;
    if (signals.length === 0) return NO_SIGNALS;
    return signals.map((s) => {
      const b = this.finder.barAt(s.barIndex);
      const up = s.type === 'up';
      // trigger_time (the bar that made the start knowable) is added by whoever stores the signal.
      return {
        type: up ? 'uptrend_start' : 'downtrend_start',
        bar: { time: b.time, open: b.open, high: b.high, low: b.low, close: b.close, volume: this.volumes[s.barIndex] ?? 0 },
        price: up ? b.low : b.high,
        details: { rule: s.rule, bar_index: s.barIndex, trigger_bar_index: s.triggerIndex },
      };
    });
  }
}

export const trendStartStrategy: StrategyDefinition = defineStrategy({
  id: 'cus_cds_trend_finder',
  description: 'Confirmed uptrend/downtrend starts (specs/trend-starts.md)',
  params: NO_PARAMS,
  build: () => new TrendStartStrategy(),
});
