// Simple moving average (SMA): streaming ring-buffer indicator and batch kernel, TA-Lib TA_SMA arithmetic.
//
// Convention (TA-Lib TA_INT_SMA): one running sum. For each new close x: sum += x; output sum / n;
// then subtract the oldest close of the window (the one that leaves next). First output at index
// n - 1 (warm-up n bars). Streaming and batch perform exactly this sequence of floating-point
// operations, so they agree bit for bit. Like TA-Lib, the running sum accumulates rounding error over
// very long series (relative drift on the order of 1e-16 * sqrt(bars)), which is negligible for prices.
import type { OhlcBar } from '../bar.ts';
import type { StreamingIndicator } from './indicator.ts';
import { checkPeriod, throwBadPrice, throwOutOfOrder } from './indicator-input.ts';

/** Minimum SMA period (TA-Lib allows 1; a 1-bar average is the input itself and is rejected as a config mistake). */
export const SMA_MIN_PERIOD = 2;

export class Sma implements StreamingIndicator<number> {
  readonly name: string;
  readonly warmupBars: number;
  private readonly period: number;
  /** Last `period` closes; `head` is the slot of the oldest one (next to be overwritten). */
  private readonly ring: Float64Array;
  private head = 0;
  /** Committed bars, capped at `period`. */
  private count = 0;
  private sum = 0;
  private current = 0;
  private lastTime = -Infinity;

  constructor(period: number) {
    this.period = checkPeriod('sma', 'period', period, SMA_MIN_PERIOD);
    this.name = `sma_${period}`;
    this.warmupBars = period;
    this.ring = new Float64Array(period);
  }

  get isReady(): boolean {
    return this.count >= this.period;
  }

  get value(): number | undefined {
    return this.count >= this.period ? this.current : undefined;
  }

  update(bar: OhlcBar): number | undefined {
    const t = bar.time;
    const x = bar.close;
    if (!(t > this.lastTime)) throwOutOfOrder(this.name, t, this.lastTime);
    if (!Number.isFinite(x)) throwBadPrice(this.name, 'close', x, `bar time ${t}`);
    this.lastTime = t;
    const n = this.period;
    this.sum += x;
    this.ring[this.head] = x;
    let h = this.head + 1;
    if (h === n) h = 0;
    this.head = h;
    if (this.count < n) {
      this.count++;
      if (this.count < n) return undefined;
    }
    const v = this.sum / n;
    this.sum -= this.ring[h]!; // oldest close of the window just averaged
    this.current = v;
    return v;
  }

  preview(bar: OhlcBar): number | undefined {
    const t = bar.time;
    const x = bar.close;
    if (!(t > this.lastTime)) throwOutOfOrder(this.name, t, this.lastTime);
    if (!Number.isFinite(x)) throwBadPrice(this.name, 'close', x, `bar time ${t}`);
    if (this.count + 1 < this.period) return undefined;
    return (this.sum + x) / this.period;
  }
}

/**
 * SMA over a whole series. Returns one slot per input; slots before index `period - 1` are NaN.
 * Throws INVALID_INPUT on a non-finite value.
 */
export function smaSeries(values: ArrayLike<number>, period: number): Float64Array {
  checkPeriod('sma', 'period', period, SMA_MIN_PERIOD);
  const len = values.length;
  const out = new Float64Array(len);
  out.fill(NaN, 0, Math.min(period - 1, len));
  let sum = 0;
  for (let i = 0; i < len; i++) {
    const x = values[i]!;
    if (!Number.isFinite(x)) throwBadPrice(`sma_${period}`, 'value', x, `index ${i}`);
    sum += x;
    if (i >= period - 1) {
      out[i] = sum / period;
      sum -= values[i - period + 1]!;
    }
  }
  return out;
}
