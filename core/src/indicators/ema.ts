// Exponential moving average (EMA): streaming indicator and batch kernel, TA-Lib TA_EMA seeding and arithmetic.
//
// Convention (TA-Lib TA_EMA, default compatibility): k = 2 / (n + 1). The first value, at index
// n - 1 (warm-up n bars), is the SMA of the first n closes, summed left to right from 0.0 and
// divided by n. After that ema = (x - ema) * k + ema, written in exactly that form (TA-Lib's
// operation order), so values match TA-Lib and streaming matches batch bit for bit.
import type { OhlcBar } from '../bar.ts';
import type { StreamingIndicator } from './indicator.ts';
import { checkPeriod, throwBadPrice, throwOutOfOrder } from './indicator-input.ts';

/** Minimum EMA period (an EMA of 1 is the input itself and is rejected as a config mistake). */
export const EMA_MIN_PERIOD = 2;

export class Ema implements StreamingIndicator<number> {
  readonly name: string;
  readonly warmupBars: number;
  private readonly period: number;
  private readonly k: number;
  /** Committed bars, capped at `period`. */
  private count = 0;
  /** Sum of closes during warm-up, for the SMA seed. */
  private seedSum = 0;
  private ema = 0;
  private lastTime = -Infinity;

  constructor(period: number) {
    this.period = checkPeriod('ema', 'period', period, EMA_MIN_PERIOD);
    this.k = 2 / (period + 1);
    this.name = `ema_${period}`;
    this.warmupBars = period;
  }

  get isReady(): boolean {
    return this.count >= this.period;
  }

  get value(): number | undefined {
    return this.count >= this.period ? this.ema : undefined;
  }

  update(bar: OhlcBar): number | undefined {
    const t = bar.time;
    const x = bar.close;
    if (!(t > this.lastTime)) throwOutOfOrder(this.name, t, this.lastTime);
    if (!Number.isFinite(x)) throwBadPrice(this.name, 'close', x, `bar time ${t}`);
    this.lastTime = t;
    if (this.count < this.period) {
      this.seedSum += x;
      this.count++;
      if (this.count < this.period) return undefined;
      this.ema = this.seedSum / this.period;
    } else {
      this.ema = (x - this.ema) * this.k + this.ema;
    }
    return this.ema;
  }

  preview(bar: OhlcBar): number | undefined {
    const t = bar.time;
    const x = bar.close;
    if (!(t > this.lastTime)) throwOutOfOrder(this.name, t, this.lastTime);
    if (!Number.isFinite(x)) throwBadPrice(this.name, 'close', x, `bar time ${t}`);
    if (this.count < this.period) {
      return this.count + 1 < this.period ? undefined : (this.seedSum + x) / this.period;
    }
    return (x - this.ema) * this.k + this.ema;
  }
}

/**
 * EMA over a whole series. Returns one slot per input; slots before index `period - 1` are NaN.
 * Throws INVALID_INPUT on a non-finite value.
 */
export function emaSeries(values: ArrayLike<number>, period: number): Float64Array {
  checkPeriod('ema', 'period', period, EMA_MIN_PERIOD);
  const len = values.length;
  const out = new Float64Array(len);
  const k = 2 / (period + 1);
  let sum = 0;
  let ema = 0;
  for (let i = 0; i < len; i++) {
    const x = values[i]!;
    if (!Number.isFinite(x)) throwBadPrice(`ema_${period}`, 'value', x, `index ${i}`);
    if (i < period) {
      sum += x;
      if (i < period - 1) {
        out[i] = NaN;
        continue;
      }
      ema = sum / period;
    } else {
      ema = (x - ema) * k + ema;
    }
    out[i] = ema;
  }
  return out;
}
