// What the page gives LiveCandles and what it is told back: load state, event counts, callbacks.
import type { SessionCalendarSpec } from '@barstream/core';
import type { CandleSink } from './candle-drawer.ts';
import type { Candle } from './candle-merge.ts';

export type LoadState =
  | { readonly phase: 'loading' }
  | { readonly phase: 'ready'; readonly barCount: number }
  | { readonly phase: 'error'; readonly message: string };

export interface CandleEvents {
  gapFills: number;
  olderPages: number;
  repaints: number;
  reloads: number;
}

export interface LiveCandlesOptions {
  readonly contractId: string;
  readonly timeframe: string;
  /** Where the contract's buckets lie; null: trades only move the last candle, never open one. */
  readonly calendar: SessionCalendarSpec | null;
  readonly initialBars: number;
  /** The first load's candles when they are already known (and drawn): the chart boot's
   * (chart-boot.ts). The first load then takes them instead of asking /api/ohlc. */
  readonly initialCandles?: readonly Candle[];
  /** The newest of initialCandles is a closed bar. */
  readonly initialLastClosed?: boolean;
  readonly sink: CandleSink;
  readonly onLoad: (state: LoadState) => void;
  /** History now reaches back to `oldest` (epoch seconds): other layers may page back too. */
  readonly onOlderLoaded?: (oldest: number) => void;
  /** A bar of this timeframe closed (epoch seconds of its open). */
  readonly onBarClosed?: (time: number) => void;
  /** The first load is over and its candles (if any) are on screen: called once, after the frame
   * that drew them, or at once when the first load failed. Overlays wait for it (chart-session.ts). */
  readonly onFirstPainted?: () => void;
  /** Runs a draw before the next paint; default requestAnimationFrame. */
  readonly scheduleFrame?: (draw: () => void) => void;
}
