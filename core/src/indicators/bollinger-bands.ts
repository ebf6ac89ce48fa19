// Bollinger Bands: streaming indicator and batch kernel; SMA middle band ± k population standard deviations.
//
// Convention:
// - Middle band = SMA(n) computed exactly as TA-Lib's TA_SMA (running sum; see sma.ts). First value
//   at index n - 1 (warm-up n bars).
// - Standard deviation is the POPULATION deviation over the same n closes (divide by n, not n - 1),
//   as TA-Lib's BBANDS/STDDEV do.
// - upper = middle + k * sd, lower = middle - k * sd (TA-Lib computes k * sd once and adds/subtracts).
// Deliberate deviation in arithmetic (not in definition): TA-Lib gets the variance from running sums
// as E[x^2] - mean^2 and clamps results below 1e-8 to 0. That cancels catastrophically at realistic
// price levels (x^2 ~ 1e9 for a 40,000 price, so the variance error is ~1e-6 and a perfectly flat
// window can show a sd of ~1e-3) and drifts over long streams. Here the variance is the two-pass
// sum((x - middle)^2) / n over the window, recomputed every bar (O(n), n = 20 is cheap). Results equal
// TA-Lib's up to that rounding noise, never go negative, and a flat window gives sd = 0 up to the
// middle band's own rounding. Streaming and batch sum the squared deviations in the same order
// (oldest to newest), so they agree bit for bit.
import type { OhlcBar } from '../bar.ts';
import type { BollingerValue, StreamingIndicator } from './indicator.ts';
import { checkPeriod, checkPositive, throwBadPrice, throwOutOfOrder } from './indicator-input.ts';

/** Minimum Bollinger period (TA-Lib's minimum). */
export const BOLLINGER_MIN_PERIOD = 2;

export interface BollingerColumns {
  readonly middle: Float64Array;
  readonly upper: Float64Array;
  readonly lower: Float64Array;
}

export class BollingerBands implements StreamingIndicator<BollingerValue> {
  readonly name: string;
  readonly warmupBars: number;
  private readonly period: number;
  private readonly k: number;
  /** Last `period` closes; `head` is the slot of the oldest one (next to be overwritten). */
  private readonly ring: Float64Array;
  private head = 0;
  /** Committed bars, capped at `period`. */
  private count = 0;
  private sum = 0;
  private current: BollingerValue | undefined = undefined;
  private lastTime = -Infinity;

  constructor(period: number, k: number) {
    this.period = checkPeriod('bb', 'period', period, BOLLINGER_MIN_PERIOD);
    this.k = checkPositive('bb', 'deviation multiplier', k);
    this.name = `bb_${period}_${k}`;
    this.warmupBars = period;
    this.ring = new Float64Array(period);
  }

  get isReady(): boolean {
    return this.count >= this.period;
  }

  get value(): BollingerValue | undefined {
    return this.current;
  }

  update(bar: OhlcBar): BollingerValue | undefined {
    const t = bar.time;
    const x = bar.close;
    if (!(t > this.lastTime)) throwOutOfOrder(this.name, t, this.lastTime);
    if (!Number.isFinite(x)) throwBadPrice(this.name, 'close', x, `bar time ${t}`);
    this.lastTime = t;
    const n = this.period;
    const ring = this.ring;
    this.sum += x;
    ring[this.head] = x;
    let h = this.head + 1;
    if (h === n) h = 0;
    this.head = h;
    if (this.count < n) {
      this.count++;
      if (this.count < n) return undefined;
    }
    const middle = this.sum / n;
    // Window oldest -> newest is ring[h..n-1] then ring[0..h-1].
    let ss = 0;
    for (let j = h; j < n; j++) {
      const d = ring[j]! - middle;
      ss += d * d;
    }
    for (let j = 0; j < h; j++) {
      const d = ring[j]! - middle;
      ss += d * d;
    }
    this.sum -= ring[h]!; // oldest close of the window just used
    const dev = Math.sqrt(ss / n) * this.k;
    const value: BollingerValue = { middle, upper: middle + dev, lower: middle - dev };
    this.current = value;
    return value;
  }

  preview(bar: OhlcBar): BollingerValue | undefined {
    const t = bar.time;
    const x = bar.close;
    if (!(t > this.lastTime)) throwOutOfOrder(this.name, t, this.lastTime);
    if (!Number.isFinite(x)) throwBadPrice(this.name, 'close', x, `bar time ${t}`);
    const n = this.period;
    if (this.count + 1 < n) return undefined;
    const ring = this.ring;
    const middle = (this.sum + x) / n;
    // Hypothetical window: every stored close except ring[head] (which x would evict), then x.
    const h = this.head;
    let ss = 0;
    for (let j = h + 1; j < n; j++) {
      const d = ring[j]! - middle;
      ss += d * d;
    }
    for (let j = 0; j < h; j++) {
      const d = ring[j]! - middle;
      ss += d * d;
    }
    const d = x - middle;
    ss += d * d;
    const dev = Math.sqrt(ss / n) * this.k;
    return { middle, upper: middle + dev, lower: middle - dev };
  }
}

/**
 * Bollinger Bands over a whole series of closes, as three columns. Slots before index `period - 1`
 * are NaN in all three. Throws INVALID_INPUT on a non-finite value.
 */
export function bollingerSeries(values: ArrayLike<number>, period: number, k: number): BollingerColumns {
  checkPeriod('bb', 'period', period, BOLLINGER_MIN_PERIOD);
  checkPositive('bb', 'deviation multiplier', k);
  const name = `bb_${period}_${k}`;
  const len = values.length;
  const middleOut = new Float64Array(len);
  const upperOut = new Float64Array(len);
  const lowerOut = new Float64Array(len);
  const warm = Math.min(period - 1, len);
  middleOut.fill(NaN, 0, warm);
  upperOut.fill(NaN, 0, warm);
  lowerOut.fill(NaN, 0, warm);
  let sum = 0;
  for (let i = 0; i < len; i++) {
    const x = values[i]!;
    if (!Number.isFinite(x)) throwBadPrice(name, 'value', x, `index ${i}`);
    sum += x;
    if (i < period - 1) continue;
    const start = i - period + 1;
    const middle = sum / period;
    let ss = 0;
    for (let j = start; j <= i; j++) {
      const d = values[j]! - middle;
      ss += d * d;
    }
    sum -= values[start]!;
    const dev = Math.sqrt(ss / period) * k;
    middleOut[i] = middle;
    upperOut[i] = middle + dev;
    lowerOut[i] = middle - dev;
  }
  return { middle: middleOut, upper: upperOut, lower: lowerOut };
}
