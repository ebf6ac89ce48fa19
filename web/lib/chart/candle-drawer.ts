// Draws the candle store onto the series: single candles queued and drawn once per frame (a
// message then costs microseconds; lightweight-charts re-scales the pane on every update), whole
// redraws through setData, and the guard that never gives `update` a candle older than the last
// one drawn (such a candle is redrawn through a batched setData instead).
import type { Candle } from './candle-merge.ts';
import type { CandleStore } from './candle-store.ts';
import { type LogicalRange, preservedRange } from './visible-range.ts';

export interface CandleSink {
  /** Replaces every candle; `keep`: the logical range to show afterwards (null: leave the view). */
  setAll(candles: readonly Candle[], keep: LogicalRange | null): void;
  /** Draws a candle at or after the last one drawn. */
  update(candle: Candle): void;
  visibleRange(): LogicalRange | null;
}

/** Redraws after out-of-order bars are batched: at most one setData per this interval. */
const REPAINT_DELAY_MS = 250;
/** Candles waiting for one frame beyond which a single setData is cheaper than updates (and a
 * hidden tab, whose frames do not run, catches up at once). */
const MAX_FRAME_UPDATES = 200;

const nextFrame = (draw: () => void): void => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(draw);
  else setTimeout(draw, 0);
};

export class CandleDrawer {
  /** Time of the last candle the series holds. */
  drawnLast: number | undefined;
  repaints = 0;
  private readonly toDraw = new Map<number, Candle>();
  private frameRequested = false;
  private repaintTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly store: CandleStore,
    private readonly sink: CandleSink,
    /** After each frame's draw (the page learns that an empty chart has candles now). */
    private readonly afterFrame: () => void,
    private readonly scheduleFrame: (draw: () => void) => void = nextFrame,
  ) {}

  /** Queues a candle for the next frame. */
  queue(candle: Candle): void {
    this.toDraw.set(candle.time, candle);
    if (this.frameRequested) return;
    this.frameRequested = true;
    this.scheduleFrame(() => this.drawFrame());
  }

  /** Redraws every candle from the store now (queued single candles are part of it). */
  drawAll(keep: LogicalRange | null): void {
    this.toDraw.clear();
    this.sink.setAll(this.store.all(), keep);
    this.drawnLast = this.store.last?.time;
  }

  /** A candle before the last one changed: redraw everything shortly, keeping the view. */
  scheduleRepaint(): void {
    if (this.repaintTimer !== undefined || this.stopped) return;
    this.repaintTimer = setTimeout(() => {
      this.repaintTimer = undefined;
      if (this.stopped) return;
      this.repaints++;
      const all = this.store.all();
      this.drawAll(preservedRange(all, all, this.sink.visibleRange()));
    }, REPAINT_DELAY_MS);
  }

  visibleRange(): LogicalRange | null {
    return this.sink.visibleRange();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.repaintTimer);
  }

  private drawFrame(): void {
    this.frameRequested = false;
    if (this.stopped || this.toDraw.size === 0) return;
    if (this.toDraw.size > MAX_FRAME_UPDATES) {
      const all = this.store.all();
      this.drawAll(preservedRange(all, all, this.sink.visibleRange()));
    } else {
      const batch = [...this.toDraw.values()].sort((a, b) => a.time - b.time);
      this.toDraw.clear();
      for (const candle of batch) {
        if (this.drawnLast !== undefined && candle.time < this.drawnLast) {
          this.scheduleRepaint();
          continue;
        }
        this.sink.update(candle);
        this.drawnLast = candle.time;
      }
    }
    this.afterFrame();
  }
}
