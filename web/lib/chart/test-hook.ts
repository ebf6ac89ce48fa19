// window.__barstream: the chart's last candle and candle count, for browser tests to watch.
import type { Candle } from './candle-store.ts';

export interface ChartTestState {
  readonly lastBar: { time: number; open: number; high: number; low: number; close: number } | null;
  readonly barCount: number;
}

declare global {
  interface Window {
    __barstream?: ChartTestState;
  }
}

export function publishChartState(last: Candle | undefined, count: number): void {
  window.__barstream = {
    lastBar: last ? { time: last.time, open: last.open, high: last.high, low: last.low, close: last.close } : null,
    barCount: count,
  };
}
