// Bar columns: splitting an OhlcBar[] into Float64Array columns for the batch indicator kernels.
import type { OhlcBar } from '../bar.ts';
import { throwOutOfOrder } from './indicator-input.ts';

export interface BarColumns {
  readonly length: number;
  readonly time: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
}

/**
 * Copies the fields indicators read into typed arrays. Throws OUT_OF_ORDER_BAR unless bar times are
 * strictly increasing (the same rule streaming `update` enforces). Prices are validated by the kernels.
 */
export function toBarColumns(bars: readonly OhlcBar[], indicator: string): BarColumns {
  const n = bars.length;
  const time = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  let lastTime = -Infinity;
  for (let i = 0; i < n; i++) {
    const bar = bars[i]!;
    const t = bar.time;
    if (!(t > lastTime)) throwOutOfOrder(indicator, t, lastTime);
    lastTime = t;
    time[i] = t;
    high[i] = bar.high;
    low[i] = bar.low;
    close[i] = bar.close;
  }
  return { length: n, time, high, low, close };
}
