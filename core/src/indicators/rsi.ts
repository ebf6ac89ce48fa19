// Relative strength index (RSI, Wilder): streaming indicator and batch kernel, TA-Lib TA_RSI seeding and smoothing.
//
// Convention (TA-Lib TA_RSI, default compatibility):
// - Needs n + 1 closes; the first value is at index n (warm-up n + 1 bars).
// - Seed: over the first n close-to-close changes, gains (change >= 0) and losses (-change, change < 0)
//   are summed left to right from 0.0, then each sum is divided by n.
// - Then Wilder smoothing, as TA-Lib writes it: avg *= n - 1; avg += x (only the side that moved);
//   avg /= n, applied to both averages every bar.
// - RSI = 100 * avgGain / (avgGain + avgLoss) (TA-Lib's form; equals 100 - 100 / (1 + RS) and needs no
//   special case when avgLoss = 0).
// Deliberate deviation from TA-Lib: when avgGain + avgLoss is exactly 0 (every change in the
// smoothing memory is zero, e.g. a flat market) this returns 50 (neutral). TA-Lib returns 0 there, and
// also returns 0 whenever avgGain + avgLoss < 1e-8 in absolute terms, which wrongly zeroes the RSI of
// instruments priced around 1e-6 or below. Outside that degenerate case values are TA-Lib's.
import type { OhlcBar } from '../bar.ts';
import type { StreamingIndicator } from './indicator.ts';
import { checkPeriod, throwBadPrice, throwOutOfOrder } from './indicator-input.ts';

/** Minimum RSI period (TA-Lib's minimum). */
export const RSI_MIN_PERIOD = 2;

/** RSI from Wilder averages; 50 when there has been no movement at all. */
function rsiFromAverages(avgGain: number, avgLoss: number): number {
  const total = avgGain + avgLoss;
  return total === 0 ? 50 : 100 * (avgGain / total);
}

export class Rsi implements StreamingIndicator<number> {
  readonly name: string;
  readonly warmupBars: number;
  private readonly period: number;
  private readonly periodMinus1: number;
  /** Committed bars, capped at `period + 1`. */
  private count = 0;
  private prevClose = 0;
  /** Sums of gains/losses during warm-up, Wilder averages afterwards. */
  private gain = 0;
  private loss = 0;
  private current = 0;
  private lastTime = -Infinity;

  constructor(period: number) {
    this.period = checkPeriod('rsi', 'period', period, RSI_MIN_PERIOD);
    this.periodMinus1 = period - 1;
    this.name = `rsi_${period}`;
    this.warmupBars = period + 1;
  }

  get isReady(): boolean {
    return this.count > this.period;
  }

  get value(): number | undefined {
    return this.count > this.period ? this.current : undefined;
  }

  update(bar: OhlcBar): number | undefined {
    const t = bar.time;
    const x = bar.close;
    if (!(t > this.lastTime)) throwOutOfOrder(this.name, t, this.lastTime);
    if (!Number.isFinite(x)) throwBadPrice(this.name, 'close', x, `bar time ${t}`);
    this.lastTime = t;
    const n = this.period;
    if (this.count === 0) {
      this.prevClose = x;
      this.count = 1;
      return undefined;
    }
    const change = x - this.prevClose;
    this.prevClose = x;
    if (this.count <= n) {
      if (change < 0) this.loss -= change;
      else this.gain += change;
      this.count++;
      if (this.count <= n) return undefined;
      this.loss /= n;
      this.gain /= n;
    } else {
      this.loss *= this.periodMinus1;
      this.gain *= this.periodMinus1;
      if (change < 0) this.loss -= change;
      else this.gain += change;
      this.loss /= n;
      this.gain /= n;
    }
    this.current = rsiFromAverages(this.gain, this.loss);
    return this.current;
  }

  preview(bar: OhlcBar): number | undefined {
    const t = bar.time;
    const x = bar.close;
    if (!(t > this.lastTime)) throwOutOfOrder(this.name, t, this.lastTime);
    if (!Number.isFinite(x)) throwBadPrice(this.name, 'close', x, `bar time ${t}`);
    const n = this.period;
    if (this.count < n) return undefined;
    const change = x - this.prevClose;
    let gain = this.gain;
    let loss = this.loss;
    if (this.count === n) {
      if (change < 0) loss -= change;
      else gain += change;
    } else {
      loss *= this.periodMinus1;
      gain *= this.periodMinus1;
      if (change < 0) loss -= change;
      else gain += change;
    }
    loss /= n;
    gain /= n;
    return rsiFromAverages(gain, loss);
  }
}

/**
 * RSI over a whole series of closes. Returns one slot per input; slots before index `period` are NaN.
 * Throws INVALID_INPUT on a non-finite value.
 */
export function rsiSeries(values: ArrayLike<number>, period: number): Float64Array {
  checkPeriod('rsi', 'period', period, RSI_MIN_PERIOD);
  const len = values.length;
  const out = new Float64Array(len);
  out.fill(NaN, 0, Math.min(period, len));
  if (len === 0) return out;
  const name = `rsi_${period}`;
  const pm1 = period - 1;
  let prev = values[0]!;
  if (!Number.isFinite(prev)) throwBadPrice(name, 'value', prev, 'index 0');
  let gain = 0;
  let loss = 0;
  for (let i = 1; i < len; i++) {
    const x = values[i]!;
    if (!Number.isFinite(x)) throwBadPrice(name, 'value', x, `index ${i}`);
    const change = x - prev;
    prev = x;
    if (i <= period) {
      if (change < 0) loss -= change;
      else gain += change;
      if (i < period) continue;
    } else {
      loss *= pm1;
      gain *= pm1;
      if (change < 0) loss -= change;
      else gain += change;
    }
    loss /= period;
    gain /= period;
    const total = gain + loss;
    out[i] = total === 0 ? 50 : 100 * (gain / total);
  }
  return out;
}
