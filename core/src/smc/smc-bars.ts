// SMC input: bars as Float64Array columns (batch), and a growable series of them for the live engine.
import type { OhlcBar } from '../bar.ts';
import { ValidationError } from '../errors.ts';

/** Bars 0 … length−1 as columns; arrays may be longer than `length` (a growing series), only the prefix counts. */
export interface SmcBars {
  readonly length: number;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/** Throws a ValidationError naming the field unless `bar` is a finite OHLCV bar after `lastTime` with low ≤ open, close ≤ high. */
export function checkSmcBar(bar: OhlcBar, index: number, lastTime: number): void {
  const where = `bar ${index}`;
  for (const field of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) {
    if (!Number.isFinite(bar[field])) throw new ValidationError(`${where}.${field}`, `must be a finite number, got ${String(bar[field])}`);
  }
  if (!(bar.time > lastTime))
    throw new ValidationError(`${where}.time`, `must be after the previous bar's time ${lastTime}, got ${bar.time}`);
  if (!(bar.low <= Math.min(bar.open, bar.close))) throw new ValidationError(`${where}.low`, `must be ≤ open and close, got ${bar.low}`);
  if (!(bar.high >= Math.max(bar.open, bar.close))) throw new ValidationError(`${where}.high`, `must be ≥ open and close, got ${bar.high}`);
}

/** Growable SmcBars: the live engine's bars since the study's first bar. */
export class SmcBarSeries implements SmcBars {
  length = 0;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  private lastTime = -Infinity;

  constructor(capacity = 1024) {
    this.open = new Float64Array(capacity);
    this.high = new Float64Array(capacity);
    this.low = new Float64Array(capacity);
    this.close = new Float64Array(capacity);
    this.volume = new Float64Array(capacity);
  }

  /** Validates and appends one closed bar; returns its position. */
  push(bar: OhlcBar): number {
    checkSmcBar(bar, this.length, this.lastTime);
    if (this.length === this.open.length) this.grow();
    const i = this.length++;
    this.lastTime = bar.time;
    this.open[i] = bar.open;
    this.high[i] = bar.high;
    this.low[i] = bar.low;
    this.close[i] = bar.close;
    this.volume[i] = bar.volume;
    return i;
  }

  private grow(): void {
    const bigger = (a: Float64Array): Float64Array => {
      const b = new Float64Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.open = bigger(this.open);
    this.high = bigger(this.high);
    this.low = bigger(this.low);
    this.close = bigger(this.close);
    this.volume = bigger(this.volume);
  }
}

/** Copies `bars` (oldest first) into a validated series. */
export function toSmcBars(bars: readonly OhlcBar[]): SmcBars {
  const series = new SmcBarSeries(Math.max(1, bars.length));
  for (const bar of bars) series.push(bar);
  return series;
}
