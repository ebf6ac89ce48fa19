// One analysis target: strategy state in memory, fed every closed bar once, in order, from the table.
import { type BarColumns, type OhlcBar, type Strategy, strategyById } from '@barstream/core';
import type { Logger, Pool } from '@barstream/core/node';
import { badBarReason, closedBarColumnsAfter, PAGE_SIZE } from './closed-bars.ts';
import type { BarPageReader } from './shared-bar-pages.ts';
import { RecentBars } from './recent-bars.ts';
import { BULK_SIGNALS } from './signal-bulk-copy.ts';
import { readWatermark, reconcileSignals, rewindTarget, storeSignals } from './signal-store.ts';
import { SignalBatch } from './signal-batch.ts';
import type { AnalysisUnit } from './targets.ts';

export interface RunnerEvents {
  /** `count` new signals were stored (and NOTIFYed). */
  onSignals(unit: AnalysisUnit, count: number): void;
  onBars(unit: AnalysisUnit, count: number): void;
  onRejectedBar(unit: AnalysisUnit, reason: string): void;
  onFailed(unit: AnalysisUnit, error: Error): void;
}

/** Bars fed between turns of the event loop during a pass (~15 ms of the trend finder). */
const FEED_SLICE = 5_000;
/** A pass writes its signals every this many bars (when they are enough for a bulk write). */
export const WRITE_BARS = 25_000;

export type RunnerStatus = 'starting' | 'running' | 'failed';

export class TargetRunner {
  status: RunnerStatus = 'starting';
  failure: string | undefined;
  /** Error of the last pass, if it failed (database trouble: retried on the next notification or sweep). */
  lastError: Error | undefined;
  private strategy: Strategy | undefined;
  /** Time of the last bar fed to the strategy (= the watermark once written). */
  private lastFed: number | undefined;
  private committedTo: number | undefined;
  private queue: Promise<void> = Promise.resolve();
  /** Earliest corrected/imported bar time inside the processed range, awaiting a re-run. */
  private rerunFrom: number | undefined;
  /** Enough to recognise the notifications of a history backfill the start-up pass already fed
   * (the ingester writes days of bars at connect); 20,000 bars are under 1 MB. */
  private readonly recent = new RecentBars(20_000);
  /** Bars notified since the last pass started (a bar without content: an imported range's start). */
  private noted: { time: number; bar: OhlcBar | undefined }[] = [];
  private rebuildRequested = false;

  private readonly readBars: BarPageReader;

  constructor(
    readonly unit: AnalysisUnit,
    private readonly pool: Pool,
    private readonly logger: Logger,
    private readonly events: RunnerEvents,
    readBars?: BarPageReader,
  ) {
    this.readBars = readBars ?? ((u, after, limit, until) => closedBarColumnsAfter(pool, u, after, limit, until));
  }

  /** Bars up to this time were fed and their signals are committed (writes lag the feed by a page). */
  get watermark(): number | undefined {
    return this.committedTo;
  }

  /** A closed bar arrived or changed: process forward, or re-run from it if it alters the past.
   * `bar` is the notified content; a repeat of a bar already fed unchanged is not a correction. */
  noteBar(time: number, bar?: OhlcBar): Promise<void> {
    // Judged when the next pass starts, not now: a pass under way may be feeding a copy of this bar
    // it read before the change committed, which is only known once that pass has fed it.
    this.noted.push({ time, bar });
    return this.catchUp();
  }

  /** Turns the notified bars that alter what was already fed into a re-run point. */
  private judgeNotedBars(): void {
    for (const { time, bar } of this.noted.splice(0)) {
      if (this.lastFed !== undefined && time <= this.lastFed && !(bar && this.recent.matches(bar))) {
        this.rerunFrom = Math.min(this.rerunFrom ?? time, time);
      }
    }
  }

  /** Processes every closed bar after the watermark; serialised per target. */
  catchUp(): Promise<void> {
    this.queue = this.queue
      .then(() => this.runOnce())
      .then(
        () => {
          this.lastError = undefined;
        },
        (err: unknown) => {
          this.lastError = err as Error;
          // The in-memory state may be ahead of what was committed (bars fed, their signals not stored):
          // the next pass rebuilds it from the stored watermark and reconciles.
          this.strategy = undefined;
          this.logger.warn({ target: this.unit.key, err: (err as Error).message }, 'analysis pass failed; will retry');
        },
      );
    return this.queue;
  }

  /** Notifications may have been lost (LISTEN reconnected): the next pass recomputes the series
   * from the start and reconciles the stored signals, instead of trusting the in-memory state. */
  requestRebuild(): void {
    this.rebuildRequested = true;
  }

  private async runOnce(): Promise<void> {
    if (this.status === 'failed') return;
    if (!this.strategy || this.rebuildRequested) {
      this.rebuildRequested = false;
      const watermark = await readWatermark(this.pool, this.unit);
      const computed = await this.rebuild(watermark, true);
      if (watermark !== undefined && this.failure === undefined) {
        const { removed, added } = await reconcileSignals(this.pool, this.unit, computed, this.lastFed ?? watermark);
        if (removed + added > 0)
          this.logger.warn(
            { target: this.unit.key, removed, added },
            'stored signals disagreed with a recomputation (a bar changed while down); corrected',
          );
      }
      this.committedTo = this.lastFed;
    }
    this.judgeNotedBars();
    if (this.rerunFrom !== undefined) {
      const from = this.rerunFrom;
      this.rerunFrom = undefined;
      this.logger.info({ target: this.unit.key, from: new Date(from).toISOString() }, 're-running target from a corrected bar');
      await rewindTarget(this.pool, this.unit, from);
      await this.rebuild(from - 1);
      this.committedTo = this.lastFed;
    }
    this.status = 'running';
    // Three stages overlap: PostgreSQL reads the next page and writes the signals of the bars fed
    // before while this process computes. Writes stay in order, one at a time; a failed one fails the pass.
    let page = this.readBars(this.unit, this.lastFed);
    let writing: Promise<void> = Promise.resolve();
    let signals = new SignalBatch();
    /** The batch of the last write, once it is done: the next batch reuses its memory. */
    let written: SignalBatch | undefined;
    let unwritten = 0;
    const write = async (): Promise<void> => {
      await writing;
      const [batch, bars, watermark] = [signals, unwritten, this.lastFed as number];
      signals = written?.clear() ?? new SignalBatch();
      written = undefined;
      unwritten = 0;
      writing = storeSignals(this.pool, this.unit, batch, watermark).then((stored) => {
        this.committedTo = watermark;
        this.events.onBars(this.unit, bars);
        if (stored > 0) this.events.onSignals(this.unit, stored);
        written = batch;
      });
      writing.catch(() => undefined);
    };
    for (;;) {
      const bars = await page;
      if (bars.length === 0) break;
      const more = bars.length === PAGE_SIZE;
      if (more) {
        // Asked for before this page is computed, so the read runs beside the computation: the page's
        // last bar is where feed() leaves the cursor (bars come in time order; a rejected bar moves
        // it too), and a page read for a pass that stops early is dropped unused.
        page = this.readBars(this.unit, bars.time[bars.length - 1]);
        page.catch(() => undefined); // awaited next turn; a failed write must not leave it unhandled
      }
      for (let from = 0; from < bars.length; from += FEED_SLICE) {
        // The write in flight needs this event loop for its round trips and to stream its COPY:
        // fed in one go, a page held it up until the whole page was computed.
        if (from > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        const to = Math.min(from + FEED_SLICE, bars.length);
        this.feed(bars, signals, from, to);
        if (this.failure !== undefined) break;
        unwritten += to - from;
        // Written in parts of a page, so the first write starts sooner and the last ends sooner after
        // the computation; a part with fewer signals than a bulk write waits for the page's end.
        if (to < bars.length && unwritten >= WRITE_BARS && signals.length >= BULK_SIGNALS) await write();
      }
      if (this.failure !== undefined) break;
      await write();
      if (!more) break;
    }
    await writing;
  }

  /** Fresh strategy state, fed (without writing) every closed bar up to `untilMs`. */
  private async rebuild(untilMs: number | undefined, collect = false): Promise<SignalBatch> {
    this.strategy = strategyById(this.unit.strategyId).create(this.unit.params);
    this.lastFed = undefined;
    this.recent.clear();
    const signals = new SignalBatch();
    if (untilMs === undefined) return signals;
    for (;;) {
      const bars = await this.readBars(this.unit, this.lastFed, PAGE_SIZE, untilMs);
      this.feed(bars, collect ? signals : undefined);
      if (bars.length < PAGE_SIZE || this.failure !== undefined) break;
    }
    return signals;
  }

  /** Feeds `bars` to the strategy, adding their signals to `out` (dropped without it). */
  private feed(bars: BarColumns, out: SignalBatch | undefined, from = 0, to = bars.length): void {
    const strategy = this.strategy as Strategy;
    for (let i = from; i < to; i++) {
      // Made as it is fed, so it dies young unless the strategy keeps it (see closedBarColumnsAfter).
      const bar = bars.at(i);
      const reason = badBarReason(bar, this.lastFed);
      if (reason) {
        this.events.onRejectedBar(this.unit, reason);
        // Skipped for good: the cursor moves past it so it is not re-read on every pass.
        if (this.lastFed === undefined || bar.time > this.lastFed) this.lastFed = bar.time;
        continue;
      }
      let signals;
      try {
        signals = strategy.update(bar);
      } catch (err) {
        this.status = 'failed';
        this.failure = (err as Error).message;
        this.events.onFailed(this.unit, err as Error);
        return;
      }
      this.lastFed = bar.time;
      this.recent.add(bar);
      if (out !== undefined) for (const s of signals) out.add(s, bar.time);
    }
  }
}
