// Applies the broadcaster's live messages to the candles: an `ohlc` bar (stored, for this contract
// and timeframe) and a `ticks` batch (trades that move the forming candle or open the next one).
// Malformed messages and those for other series are ignored.
import { type Timeframe, ohlcMessageSchema, tickBatchMessageSchema } from '@barstream/core';
import type { CandleDrawer } from './candle-drawer.ts';
import type { Candle } from './candle-merge.ts';
import type { CandleStore } from './candle-store.ts';
import type { TradeBuckets } from './trade-bucket.ts';
import { asTime } from './wire-candle.ts';

export interface LiveMessageTargets {
  readonly contractId: string;
  readonly tf: Timeframe;
  readonly store: CandleStore;
  readonly drawer: CandleDrawer;
  readonly buckets: TradeBuckets;
  /** A bar older than the chart's last and not on it: fetch from its time, never update. */
  readonly fill: (fromMs: number) => void;
  readonly onBarClosed?: (time: number) => void;
}

/** A broadcaster `ohlc` or `ticks` message (anything else is ignored). */
export function applyLiveMessage(message: unknown, to: LiveMessageTargets): void {
  const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
  if (type === 'ohlc') applyBar(message, to);
  else if (type === 'ticks') applyTicks(message, to);
}

function applyBar(message: unknown, to: LiveMessageTargets): void {
  const parsed = ohlcMessageSchema.safeParse(message);
  if (!parsed.success) return;
  const m = parsed.data;
  if (m.contract_id !== to.contractId || m.timeframe_unit !== to.tf.unit || m.timeframe_value !== to.tf.value) return;
  const ms = Date.parse(m.timestamp);
  const change = to.store.applyBar(
    { time: asTime(ms), open: m.open, high: m.high, low: m.low, close: m.close, volume: m.volume },
    m.is_closed,
  );
  if (m.is_closed) to.onBarClosed?.(asTime(ms));
  switch (change.kind) {
    case 'update':
      to.drawer.queue(change.candle);
      break;
    case 'repaint':
      to.drawer.scheduleRepaint();
      break;
    case 'missing':
      to.fill(ms);
      return;
    case 'none':
      return;
  }
}

function applyTicks(message: unknown, to: LiveMessageTargets): void {
  const parsed = tickBatchMessageSchema.safeParse(message);
  if (!parsed.success || parsed.data.contract_id !== to.contractId) return;
  // Draw each touched candle once, in time order: a batch may cross into the next bucket.
  let touched: Candle | undefined;
  for (const tick of parsed.data.ticks) {
    const bucket = to.buckets.bucketOf(Date.parse(tick.timestamp), to.store.last);
    if (bucket === undefined) continue;
    const candle = to.store.applyTrade(bucket, tick.price, tick.volume);
    if (!candle) continue;
    if (touched && touched.time !== candle.time) to.drawer.queue(touched);
    touched = candle;
  }
  if (touched) to.drawer.queue(touched);
}
