// Keeps one contract+timeframe's candles current: history from /api/ohlc, then bar and trade
// messages from the broadcaster. After a reconnect or a `resync` it refetches only the span it may
// have missed and merges it (house rule 6); scrolling back pages in older bars the same way.
import {
  fixedLengthMs,
  ohlcMessageSchema,
  parseTimeframe,
  SessionCalendar,
  tickBatchMessageSchema,
  toEpochSeconds,
  type SessionCalendarSpec,
  type Timeframe,
  backoffDelay,
} from '@barstream/core';
import type { UTCTimestamp } from 'lightweight-charts';
import { MAX_LIMIT } from '../api/query-fields.ts';
import type { WireBar } from '../api/response-schemas.ts';
import { CandleDrawer, type CandleSink } from './candle-drawer.ts';
import { type Candle, indexAtOrAfter } from './candle-merge.ts';
import { CandleStore } from './candle-store.ts';
import { fetchBars } from './chart-api.ts';
import { markBarsPaintedNextFrame, markBarsReceived, markChartStarted } from './perf-marks.ts';
import { preservedRange } from './visible-range.ts';

export type { CandleSink } from './candle-drawer.ts';

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

/** Messages held while history loads; past this the reload that follows covers them anyway. */
const MAX_PENDING_MESSAGES = 5_000;
/** Bars per older page when scrolling back. */
export const OLDER_PAGE_BARS = 2_000;
/** Reach of a refetch after a reconnect: back before the loss, for bars that were forming then
 * (the broadcaster's resync uses the same margin; signals and overlays use this one too). */
export const RECONNECT_MARGIN_MS = 60_000;

const asTime = (ms: number): UTCTimestamp => toEpochSeconds(ms) as number as UTCTimestamp;

export function toCandle(b: WireBar): Candle {
  return { time: asTime(Date.parse(b.timestamp)), open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume };
}

export class LiveCandles {
  readonly store = new CandleStore();
  private readonly drawer: CandleDrawer;
  private readonly counts = { gapFills: 0, olderPages: 0, reloads: 0 };
  private readonly tf: Timeframe;
  private readonly calendar: SessionCalendar | null;
  private pending: unknown[] = [];
  private loading = false;
  private loadedOnce = false;
  private reloadQueued = false;
  private failedLoads = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly abort = new AbortController();
  private stopped = false;
  private filling = false;
  private fillFrom: number | undefined;
  private pagingBack = false;
  private historyExhausted = false;
  /** The last load found no bars: the first live candle must tell the page it has some now. */
  private reportedEmpty = false;
  private toldFirstPainted = false;

  constructor(private readonly options: LiveCandlesOptions) {
    this.tf = parseTimeframe(options.timeframe);
    this.calendar = options.calendar ? new SessionCalendar(options.calendar) : null;
    this.drawer = new CandleDrawer(this.store, options.sink, () => this.reportCandles(), options.scheduleFrame);
  }

  get events(): CandleEvents {
    return { ...this.counts, repaints: this.drawer.repaints };
  }

  start(): void {
    markChartStarted();
    void this.reload();
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
    clearTimeout(this.retryTimer);
    this.drawer.stop();
  }

  /** Reads history again now (the retry button). */
  retry(): void {
    clearTimeout(this.retryTimer);
    void this.reload();
  }

  /** The socket (re)opened: refetch from before it was lost, merging what comes back. */
  connected(downSince: number | undefined): void {
    if (!this.loadedOnce) return; // the first load, still under way, covers it
    const last = this.store.last;
    const lost = downSince === undefined ? Number.POSITIVE_INFINITY : downSince - RECONNECT_MARGIN_MS;
    const from = Math.min(lost, last ? last.time * 1000 : lost);
    if (Number.isFinite(from)) this.fill(from);
    else void this.reload();
  }

  /** The broadcaster lost PostgreSQL for a while: bars from `fromMs` on may have been missed. */
  resync(fromMs: number): void {
    if (this.loadedOnce) this.fill(fromMs);
  }

  /** A broadcaster `ohlc` or `ticks` message (anything else is ignored). */
  receive(message: unknown): void {
    if (this.stopped) return;
    if (this.loading) {
      if (this.pending.length < MAX_PENDING_MESSAGES) this.pending.push(message);
      else this.reloadQueued = true;
      return;
    }
    const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
    if (type === 'ohlc') this.receiveBar(message);
    else if (type === 'ticks') this.receiveTicks(message);
  }

  /** Scrolling back reached the oldest bars: fetch the page before them. */
  async loadOlder(): Promise<void> {
    const oldest = this.store.first;
    if (this.stopped || this.loading || this.pagingBack || this.historyExhausted || !oldest) return;
    this.pagingBack = true;
    try {
      const page = await fetchBars(
        this.options.contractId,
        this.options.timeframe,
        { to: oldest.time * 1000, limit: OLDER_PAGE_BARS },
        { signal: this.abort.signal },
      );
      if (this.stopped) return;
      const candles = page.bars.map(toCandle);
      if (page.bars.length < OLDER_PAGE_BARS) this.historyExhausted = true;
      if (!candles.some((c) => c.time < oldest.time)) {
        this.historyExhausted = true;
        return;
      }
      this.counts.olderPages++;
      this.mergeAndDraw(candles, undefined);
      this.options.onOlderLoaded?.(this.store.first?.time ?? oldest.time);
    } catch {
      // Paging back is best effort: the next scroll asks again.
    } finally {
      this.pagingBack = false;
    }
  }

  private async reload(): Promise<void> {
    if (this.stopped) return;
    if (this.loading) {
      this.reloadQueued = true;
      return;
    }
    this.loading = true;
    const first = !this.loadedOnce;
    // Retries after a failure keep the error on screen until one succeeds.
    if (this.store.count === 0 && this.failedLoads === 0) this.options.onLoad({ phase: 'loading' });
    try {
      const bars = await fetchBars(
        this.options.contractId,
        this.options.timeframe,
        { limit: this.options.initialBars },
        { signal: this.abort.signal, ...(first ? { onArrived: markBarsReceived } : {}) },
      );
      if (this.stopped) return;
      const candles = this.store.replaceAll(bars.bars.map(toCandle));
      this.drawer.drawAll(null);
      if (first) {
        markBarsPaintedNextFrame(candles.length);
        this.afterPaint(() => this.firstPainted());
      } else this.counts.reloads++;
      this.loadedOnce = true;
      this.historyExhausted = bars.bars.length < this.options.initialBars;
      this.failedLoads = 0;
      this.reportedEmpty = this.store.count === 0;
      this.options.onLoad({ phase: 'ready', barCount: this.store.count });
    } catch (err) {
      if (this.stopped) return;
      this.firstPainted();
      this.failedLoads++;
      this.options.onLoad({ phase: 'error', message: err instanceof Error ? err.message : String(err) });
      this.retryTimer = setTimeout(
        () => {
          void this.reload();
        },
        backoffDelay(this.failedLoads, { initialMs: 500, maxMs: 15_000 }),
      );
    } finally {
      this.loading = false;
      if (!this.stopped) {
        const pending = this.pending;
        this.pending = [];
        for (const m of pending) this.receive(m);
        if (this.reloadQueued) {
          this.reloadQueued = false;
          void this.reload();
        }
      }
    }
  }

  /** Refetches bars from `fromMs` and merges them; overlapping requests coalesce into one more. */
  private fill(fromMs: number): void {
    this.fillFrom = Math.min(this.fillFrom ?? fromMs, fromMs);
    if (!this.filling) void this.runFills();
  }

  private async runFills(): Promise<void> {
    this.filling = true;
    try {
      while (this.fillFrom !== undefined && !this.stopped) {
        const from = this.fillFrom;
        this.fillFrom = undefined;
        if (this.loading) {
          this.reloadQueued = true; // the load in progress (and the one queued) covers it
          continue;
        }
        try {
          const bars = await fetchBars(
            this.options.contractId,
            this.options.timeframe,
            { from, limit: MAX_LIMIT },
            { signal: this.abort.signal },
          );
          if (this.stopped) return;
          if (bars.bars.length >= MAX_LIMIT) {
            void this.reload(); // more missed than one answer holds: start over
            continue;
          }
          this.counts.gapFills++;
          this.mergeAndDraw(bars.bars.map(toCandle), asTime(from));
        } catch {
          if (this.stopped) return;
          // Try again shortly; a later reconnect would ask for the same span anyway.
          await new Promise((r) => setTimeout(r, 1_000));
          this.fillFrom = Math.min(this.fillFrom ?? from, from);
        }
      }
    } finally {
      this.filling = false;
    }
  }

  private mergeAndDraw(fetched: readonly Candle[], coverFrom: number | undefined): void {
    const before = this.store.all();
    const range = this.drawer.visibleRange();
    const changedFrom = this.store.merge(fetched, coverFrom);
    if (changedFrom === undefined) return;
    const after = this.store.all();
    const drawn = this.drawer.drawnLast;
    const tailOnly = drawn !== undefined && changedFrom >= drawn && after[indexAtOrAfter(after, drawn)]?.time === drawn;
    if (tailOnly) {
      for (let i = indexAtOrAfter(after, changedFrom); i < after.length; i++) this.drawer.queue(after[i] as Candle);
    } else {
      this.drawer.drawAll(preservedRange(before, after, range));
    }
  }

  private receiveBar(message: unknown): void {
    const parsed = ohlcMessageSchema.safeParse(message);
    if (!parsed.success) return;
    const m = parsed.data;
    if (m.contract_id !== this.options.contractId || m.timeframe_unit !== this.tf.unit || m.timeframe_value !== this.tf.value) return;
    const ms = Date.parse(m.timestamp);
    const change = this.store.applyBar({ time: asTime(ms), open: m.open, high: m.high, low: m.low, close: m.close, volume: m.volume });
    if (m.is_closed) this.options.onBarClosed?.(asTime(ms));
    switch (change.kind) {
      case 'update':
        this.drawer.queue(change.candle);
        break;
      case 'repaint':
        this.drawer.scheduleRepaint();
        break;
      case 'missing':
        this.fill(ms); // older than the chart's last bar and not on it: fetch, never update
        return;
      case 'none':
        return;
    }
  }

  private receiveTicks(message: unknown): void {
    const parsed = tickBatchMessageSchema.safeParse(message);
    if (!parsed.success || parsed.data.contract_id !== this.options.contractId) return;
    // Draw each touched candle once, in time order: a batch may cross into the next bucket.
    let touched: Candle | undefined;
    for (const tick of parsed.data.ticks) {
      const bucket = this.bucketOf(Date.parse(tick.timestamp));
      if (bucket === undefined) continue;
      const candle = this.store.applyTrade(bucket, tick.price, tick.volume);
      if (!candle) continue;
      if (touched && touched.time !== candle.time) this.drawer.queue(touched);
      touched = candle;
    }
    if (touched) this.drawer.queue(touched);
  }

  /** Runs `then` in a task after the next frame has been drawn (and shown). */
  private afterPaint(then: () => void): void {
    const schedule =
      this.options.scheduleFrame ??
      ((draw: () => void) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(draw) : draw()));
    schedule(() => setTimeout(then, 0));
  }

  private firstPainted(): void {
    if (this.toldFirstPainted || this.stopped) return;
    this.toldFirstPainted = true;
    this.options.onFirstPainted?.();
  }

  private reportCandles(): void {
    if (this.reportedEmpty && this.store.count > 0) {
      this.reportedEmpty = false;
      this.options.onLoad({ phase: 'ready', barCount: this.store.count });
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
}
