// cus_cds_trend_finder as a Strategy: trend starts become uptrend_start / downtrend_start signals.
import type { OhlcBar } from '../bar.ts';
import type { Strategy, StrategyDefinition, StrategySignal } from './strategy.ts';
import { TrendStartFinder } from './trend-start-finder.ts';

export class TrendStartStrategy implements Strategy {
  private readonly finder = new TrendStartFinder();
  private volumes = new Float64Array(1024);

  update(bar: OhlcBar): StrategySignal[] {
    const signals = this.finder.update(bar);
    const index = this.finder.barCount;
    if (index >= this.volumes.length) {
      const grown = new Float64Array(this.volumes.length * 2);
      grown.set(this.volumes);
      this.volumes = grown;
    }
    this.volumes[index] = bar.volume;
    return signals.map((s) => {
      const start = { ...this.finder.barAt(s.barIndex), volume: this.volumes[s.barIndex] ?? 0 };
      return {
        type: s.type === 'up' ? 'uptrend_start' : 'downtrend_start',
        bar: start,
        price: s.type === 'up' ? start.low : start.high,
        details: { rule: s.rule, bar_index: s.barIndex, trigger_bar_index: s.triggerIndex,
          trigger_time: new Date(s.triggerTime).toISOString() },
      };
    });
  }
}

export const trendStartStrategy: StrategyDefinition = {
  id: 'cus_cds_trend_finder',
  description: 'Confirmed uptrend/downtrend starts (specs/trend-starts.md)',
  create: () => new TrendStartStrategy(),
};
