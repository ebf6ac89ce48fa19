// window.__barstream: read-only views of the live chart for browser tests and benchmarks (last
// candle, candles, markers, counters, per-message handler timings) and `inject`, which hands a
// message to the same handler the WebSocket feeds. Getters: nothing is copied per update.
import type { SeriesMarker, Time } from 'lightweight-charts';
import type { BarLegend } from './bar-legend.ts';
import type { Candle } from './candle-merge.ts';
import type { CandleEvents } from './live-candles.ts';

export interface ChartTestHook {
  readonly lastBar: Candle | null;
  readonly barCount: number;
  readonly signalCount: number;
  readonly events: Readonly<CandleEvents>;
  /** Points drawn per indicator line. */
  readonly linePoints: Readonly<Record<string, number>>;
  /** What the legend shows now. */
  readonly legend: BarLegend | null;
  candles(): Candle[];
  /** The markers drawn (a cluster stands for several signals). */
  markers(): SeriesMarker<Time>[];
  /** Ids of every signal marker shown, alone or in a cluster. */
  markedSignals(): string[];
  timeToX(time: number): number | null;
  /** Where the marker of signal marker `id` is drawn now (its bar's middle, chart pixels), or null
   * while it is not drawn or off screen. */
  markerPoint(id: string): { x: number; y: number; time: number } | null;
  /** Handles `message` as if it had arrived on the WebSocket; returns the milliseconds it took. */
  inject(message: unknown): number;
  /** Milliseconds each recent WebSocket message took to parse and apply, oldest first. */
  handlerTimings(): number[];
}

declare global {
  interface Window {
    __barstream?: ChartTestHook;
  }
}

export function publishTestHook(hook: ChartTestHook): () => void {
  window.__barstream = hook;
  return () => {
    if (window.__barstream === hook) delete window.__barstream;
  };
}
