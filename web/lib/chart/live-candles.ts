// Keeps one contract+timeframe's candles current: history from /api/ohlc, then bar and trade
// updates from the broadcaster. Re-reads history on every reconnect, because a listener that was
// away may have missed bars (house rule 6); messages that arrive mid-read wait for it.
import {
  fixedLengthMs, ohlcMessageSchema, parseTimeframe, SessionCalendar, tickBatchMessageSchema, toEpochSeconds,
  type SessionCalendarSpec, type Timeframe,
} from '@barstream/core';
import type { SeriesMarker, Time, UTCTimestamp } from 'lightweight-charts';
import { backoffDelay } from '@barstream/core';
import { BroadcasterSocket, type ConnectionStatus } from './broadcaster-socket.ts';
import { CandleStore, type Candle } from './candle-store.ts';
import { fetchBars, fetchTrendStarts } from './chart-api.ts';
import { trendStartMarkers } from './trend-start-markers.ts';

export interface CandleSink {
  setData(candles: readonly Candle[]): void;
  update(candle: Candle, historical: boolean): void;
  setMarkers(markers: SeriesMarker<Time>[]): void;
}

export type LoadState =
  | { readonly phase: 'loading' }
  | { readonly phase: 'ready'; readonly barCount: number }
  | { readonly phase: 'error'; readonly message: string };

export interface LiveCandlesOptions {
  readonly contractId: string;
  readonly timeframe: string;
  /** Where the contract's buckets lie; null: trades only move the last candle, never open one. */
  readonly calendar: SessionCalendarSpec | null;
  readonly socketUrl: string;
  readonly sink: CandleSink;
  readonly onStatus: (status: ConnectionStatus) => void;
  readonly onLoad: (state: LoadState) => void;
  readonly onCandles: (last: Candle | undefined, count: number) => void;
}

/** Messages held while history loads; past this the reload that follows covers them anyway. */
const MAX_PENDING_MESSAGES = 5_000;

const asTime = (ms: number): UTCTimestamp => toEpochSeconds(ms) as number as UTCTimestamp;

export class LiveCandles {
  private readonly store = new CandleStore();
  private readonly tf: Timeframe;
  private readonly calendar: SessionCalendar | null;
  private readonly socket: BroadcasterSocket;
  private pending: unknown[] = [];
  private loading = false;
  private reloadQueued = false;
  private failedLoads = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private abort: AbortController | undefined;
  private stopped = false;

  constructor(private readonly options: LiveCandlesOptions) {
    this.tf = parseTimeframe(options.timeframe);
    this.calendar = options.calendar ? new SessionCalendar(options.calendar) : null;
    this.socket = new BroadcasterSocket({
      url: options.socketUrl,
      subscriptions: [
        { type: 'subscribe', channel: 'bars', contract_id: options.contractId, timeframe: options.timeframe },
        { type: 'subscribe', channel: 'ticks', contract_id: options.contractId },
      ],
      onMessage: (m) => this.receive(m),
      onStatus: options.onStatus,
      onOpen: () => { void this.reload(); },
    });
  }

  start(): void {
    this.stopped = false;
    void this.reload();
    this.socket.start();
  }

  stop(): void {
    this.stopped = true;
    this.socket.stop();
    this.abort?.abort();
    clearTimeout(this.retryTimer);
  }

  /** Reads history again now (the retry button). */
  retry(): void {
    clearTimeout(this.retryTimer);
    void this.reload();
  }

  private async reload(): Promise<void> {
    if (this.stopped) return;
    if (this.loading) {
      this.reloadQueued = true;
      return;
    }
    this.loading = true;
    // Retries after a failure keep the error on screen until one succeeds.
    if (this.store.count === 0 && this.failedLoads === 0) this.options.onLoad({ phase: 'loading' });
    const abort = new AbortController();
    this.abort = abort;
    const { contractId, timeframe } = this.options;
    try {
      const [bars, starts] = await Promise.all([
        fetchBars(contractId, timeframe, abort.signal),
        // Markers are a garnish: the chart stands without them.
        fetchTrendStarts(contractId, timeframe, abort.signal).catch(() => undefined),
      ]);
      if (this.stopped) return;
      const candles = bars.bars.map((b): Candle => ({
        time: asTime(Date.parse(b.timestamp)), open: b.open, high: b.high, low: b.low, close: b.close,
      }));
      this.options.sink.setData(this.store.replaceAll(candles));
      if (starts) this.options.sink.setMarkers(trendStartMarkers(starts.signals));
      this.failedLoads = 0;
      this.options.onLoad({ phase: 'ready', barCount: this.store.count });
    } catch (err) {
      if (this.stopped) return;
      this.failedLoads++;
      this.options.onLoad({ phase: 'error', message: err instanceof Error ? err.message : String(err) });
      this.retryTimer = setTimeout(() => { void this.reload(); }, backoffDelay(this.failedLoads, { initialMs: 500, maxMs: 15_000 }));
    } finally {
      this.loading = false;
      if (!this.stopped) {
        const pending = this.pending;
        this.pending = [];
        for (const m of pending) this.receive(m);
        this.changed();
        if (this.reloadQueued) {
          this.reloadQueued = false;
          void this.reload();
        }
      }
    }
  }

  private receive(message: unknown): void {
    if (this.stopped) return;
    if (this.loading) {
      if (this.pending.length < MAX_PENDING_MESSAGES) this.pending.push(message);
      else this.reloadQueued = true;
      return;
    }
    const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
    if (type === 'ohlc') this.receiveBar(message);
    else if (type === 'ticks') this.receiveTicks(message);
    // The broadcaster lost PostgreSQL for a while: bars may have been missed, so read them again.
    else if (type === 'resync') void this.reload();
    // 'signal', 'subscribed', 'pong', 'error' …: nothing to draw.
  }

  private receiveBar(message: unknown): void {
    const parsed = ohlcMessageSchema.safeParse(message);
    if (!parsed.success) return;
    const m = parsed.data;
    if (m.contract_id !== this.options.contractId || m.timeframe_unit !== this.tf.unit || m.timeframe_value !== this.tf.value) return;
    const change = this.store.applyBar({
      time: asTime(Date.parse(m.timestamp)), open: m.open, high: m.high, low: m.low, close: m.close,
    });
    if (change.kind === 'reload') {
      void this.reload();
      return;
    }
    this.options.sink.update(change.candle, change.historical);
    this.changed();
  }

  private receiveTicks(message: unknown): void {
    const parsed = tickBatchMessageSchema.safeParse(message);
    if (!parsed.success || parsed.data.contract_id !== this.options.contractId) return;
    // Draw each touched candle once, in time order: a batch may cross into the next bucket.
    let touched: Candle | undefined;
    for (const tick of parsed.data.ticks) {
      const bucket = this.bucketOf(Date.parse(tick.timestamp));
      if (bucket === undefined) continue;
      const candle = this.store.applyTrade(bucket, tick.price);
      if (!candle) continue;
      if (touched && touched.time !== candle.time) this.options.sink.update(touched, false);
      touched = candle;
    }
    if (touched) {
      this.options.sink.update(touched, false);
      this.changed();
    }
  }

  /** Open time of the bucket a trade at `ms` belongs to, in chart seconds. */
  private bucketOf(ms: number): UTCTimestamp | undefined {
    if (!Number.isFinite(ms)) return undefined;
    if (this.calendar) return asTime(this.calendar.bucket(ms, this.tf).time);
    // Without a calendar only the last candle's own span is known (and only for fixed lengths).
    const last = this.store.last;
    const length = fixedLengthMs(this.tf);
    if (!last || length === undefined) return undefined;
    const start = last.time * 1000;
    return ms >= start && ms < start + length ? last.time : undefined;
  }

  private changed(): void {
    this.options.onCandles(this.store.last, this.store.count);
  }
}
