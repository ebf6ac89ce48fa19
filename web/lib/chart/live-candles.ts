// Keeps one contract+timeframe's candles current: history from /api/ohlc, then bar and trade
// messages from the broadcaster (live-messages.ts). After a reconnect or a `resync` it refetches only
// the span it may have missed and merges it (gap-fills.ts, house rule 6); scrolling back pages in
// older bars the same way.
import { backoffDelay, parseTimeframe } from '@barstream/core';
import { CandleDrawer } from './candle-drawer.ts';
import { CandleStore } from './candle-store.ts';
import { fetchBars } from './chart-api.ts';
import { GapFills } from './gap-fills.ts';
import type { CandleEvents, LiveCandlesOptions } from './live-candles-options.ts';
import { applyLiveMessage, type LiveMessageTargets } from './live-messages.ts';
import { mergeAndDraw } from './merge-draw.ts';
import { markBarsPaintedNextFrame, markBarsReceived, markChartStarted } from './perf-marks.ts';
import { TradeBuckets } from './trade-bucket.ts';

export type { CandleSink } from './candle-drawer.ts';
export type { CandleEvents, LiveCandlesOptions, LoadState } from './live-candles-options.ts';

/** Messages held while history loads; past this the reload that follows covers them anyway. */
const MAX_PENDING_MESSAGES = 5_000;
/** Bars per older page when scrolling back. */
export const OLDER_PAGE_BARS = 2_000;
/** Reach of a refetch after a reconnect: back before the loss, for bars that were forming then
 * (the broadcaster's resync uses the same margin; signals and overlays use this one too). */
export const RECONNECT_MARGIN_MS = 60_000;

export class LiveCandles {
  readonly store = new CandleStore();
  private readonly drawer: CandleDrawer;
  private readonly gaps: GapFills;
  private readonly live: LiveMessageTargets;
  private readonly counts = { olderPages: 0, reloads: 0 };
  private pending: unknown[] = [];
  private loading = false;
  private loadedOnce = false;
  private reloadQueued = false;
  private failedLoads = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly abort = new AbortController();
  private stopped = false;
  private pagingBack = false;
  private historyExhausted = false;
  /** The last load found no bars: the first live candle must tell the page it has some now. */
  private reportedEmpty = false;
  private toldFirstPainted = false;

  constructor(private readonly options: LiveCandlesOptions) {
    const tf = parseTimeframe(options.timeframe);
    this.drawer = new CandleDrawer(this.store, options.sink, () => this.reportCandles(), options.scheduleFrame);
    this.gaps = new GapFills({
      contractId: options.contractId,
      timeframe: options.timeframe,
      signal: this.abort.signal,
      isStopped: () => this.stopped,
      isLoading: () => this.loading,
      reload: () => void this.reload(),
      merge: (fetched, coverFrom, lastClosed) => mergeAndDraw(this.store, this.drawer, fetched, coverFrom, lastClosed),
    });
    this.live = {
      contractId: options.contractId,
      tf,
      store: this.store,
      drawer: this.drawer,
      buckets: new TradeBuckets(tf, options.calendar),
      fill: (fromMs) => this.gaps.fill(fromMs),
      ...(options.onBarClosed ? { onBarClosed: options.onBarClosed } : {}),
    };
  }

  get events(): CandleEvents {
    return { ...this.counts, gapFills: this.gaps.count, repaints: this.drawer.repaints };
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
    if (Number.isFinite(from)) this.gaps.fill(from);
    else void this.reload();
  }

  /** The broadcaster lost PostgreSQL for a while: bars from `fromMs` on may have been missed. */
  resync(fromMs: number): void {
    if (this.loadedOnce) this.gaps.fill(fromMs);
  }

  /** A broadcaster `ohlc` or `ticks` message (anything else is ignored). */
  receive(message: unknown): void {
    if (this.stopped) return;
    if (this.loading) {
      if (this.pending.length < MAX_PENDING_MESSAGES) this.pending.push(message);
      else this.reloadQueued = true;
      return;
    }
    applyLiveMessage(message, this.live);
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
      const candles = page.candles;
      if (candles.length < OLDER_PAGE_BARS) this.historyExhausted = true;
      if (!candles.some((c) => c.time < oldest.time)) {
        this.historyExhausted = true;
        return;
      }
      this.counts.olderPages++;
      mergeAndDraw(this.store, this.drawer, candles, undefined, page.lastClosed);
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
      // The chart boot's candles, already drawn and marked (its store's order: taken as they are).
      const booted = first ? this.options.initialCandles : undefined;
      const bars = booted
        ? { candles: booted, lastClosed: this.options.initialLastClosed ?? false }
        : await fetchBars(
            this.options.contractId,
            this.options.timeframe,
            { limit: this.options.initialBars },
            { signal: this.abort.signal, ...(first ? { onArrived: markBarsReceived } : {}) },
          );
      if (this.stopped) return;
      const candles = this.store.replaceAll(bars.candles, bars.lastClosed);
      this.drawer.drawAll(null);
      if (first) {
        if (!booted) markBarsPaintedNextFrame(candles.length);
        this.afterPaint(() => this.firstPainted());
      } else this.counts.reloads++;
      this.loadedOnce = true;
      this.historyExhausted = bars.candles.length < this.options.initialBars;
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
}
