// Average true range (ATR, Wilder): streaming indicator and batch kernel, TA-Lib TA_ATR seeding and smoothing.
//
// Convention (TA-Lib TA_ATR):
// - True range TR[i] = max(high - low, |prevClose - high|, |prevClose - low|), evaluated in that order
//   (start from high - low, replace only if strictly greater). It needs a previous close, so the first
//   bar has no TR: TA-Lib does NOT use high - low of bar 0.
// - First ATR at index n (warm-up n + 1 bars) = mean of TR[1..n], summed left to right from 0.0.
// - Then Wilder smoothing as TA-Lib writes it: atr *= n - 1; atr += TR; atr /= n.
// - n = 1 gives ATR = TR (TA-Lib returns TRANGE there; the general formula yields the same numbers).
// Bars with high < low are rejected (INVALID_INPUT) rather than producing a negative range.
import type { OhlcBar } from '../bar.ts';
import type { StreamingIndicator } from './indicator.ts';
import { IndicatorError } from './indicator-error.ts';
import { checkPeriod, throwBadPrice, throwHighBelowLow, throwOutOfOrder } from './indicator-input.ts';

/** Minimum ATR period (TA-Lib's minimum; ATR(1) is the true range). */
export const ATR_MIN_PERIOD = 1;

function trueRange(high: number, low: number, prevClose: number): number {
  let greatest = high - low;
  const toHigh = Math.abs(prevClose - high);
  if (toHigh > greatest) greatest = toHigh;
  const toLow = Math.abs(prevClose - low);
  if (toLow > greatest) greatest = toLow;
  return greatest;
}

export class Atr implements StreamingIndicator<number> {
  readonly name: string;
  readonly warmupBars: number;
  private readonly period: number;
  private readonly periodMinus1: number;
  /** Committed bars, capped at `period + 1`. */
  private count = 0;
  private prevClose = 0;
  /** Sum of TR during warm-up, the ATR afterwards. */
  private atr = 0;
  private lastTime = -Infinity;

  constructor(period: number) {
    this.period = checkPeriod('atr', 'period', period, ATR_MIN_PERIOD);
    this.periodMinus1 = period - 1;
    this.name = `atr_${period}`;
    this.warmupBars = period + 1;
  }

  get isReady(): boolean {
    return this.count > this.period;
  }

  get value(): number | undefined {
    return this.count > this.period ? this.atr : undefined;
  }

  private check(bar: OhlcBar): void {
    const t = bar.time;
    if (!(t > this.lastTime)) throwOutOfOrder(this.name, t, this.lastTime);
    const { high, low, close } = bar;
    if (!Number.isFinite(high)) throwBadPrice(this.name, 'high', high, `bar time ${t}`);
    if (!Number.isFinite(low)) throwBadPrice(this.name, 'low', low, `bar time ${t}`);
    if (!Number.isFinite(close)) throwBadPrice(this.name, 'close', close, `bar time ${t}`);
    if (high < low) throwHighBelowLow(this.name, high, low, `bar time ${t}`);
  }

  update(bar: OhlcBar): number | undefined {
    this.check(bar);
    this.lastTime = bar.time;
    const n = this.period;
    const prevClose = this.prevClose;
    this.prevClose = bar.close;
    if (this.count === 0) {
      this.count = 1;
      return undefined;
    }
    const tr = trueRange(bar.high, bar.low, prevClose);
    if (this.count <= n) {
      this.atr += tr;
      this.count++;
      if (this.count <= n) return undefined;
      this.atr /= n;
    } else {
      this.atr *= this.periodMinus1;
      this.atr += tr;
      this.atr /= n;
    }
    return this.atr;
  }

  preview(bar: OhlcBar): number | undefined {
    this.check(bar);
    const n = this.period;
    if (this.count < n) return undefined;
    const tr = trueRange(bar.high, bar.low, this.prevClose);
    let atr = this.atr;
    if (this.count === n) {
      atr += tr;
    } else {
      atr *= this.periodMinus1;
      atr += tr;
    }
    return atr / n;
  }
}

/**
 * ATR over whole high/low/close columns (equal lengths). Returns one slot per bar; slots before
 * index `period` are NaN. Throws INVALID_INPUT on a non-finite price or high < low.
 */
export function atrSeries(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>, period: number): Float64Array {
  checkPeriod('atr', 'period', period, ATR_MIN_PERIOD);
  const name = `atr_${period}`;
  const len = close.length;
  if (high.length !== len || low.length !== len) {
    throw new IndicatorError('INVALID_INPUT', `${name}: high/low/close lengths differ (${high.length}/${low.length}/${len})`);
  }
  const out = new Float64Array(len);
  out.fill(NaN, 0, Math.min(period, len));
  const pm1 = period - 1;
  let prevClose = 0;
  let atr = 0;
  for (let i = 0; i < len; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    if (!Number.isFinite(h)) throwBadPrice(name, 'high', h, `index ${i}`);
    if (!Number.isFinite(l)) throwBadPrice(name, 'low', l, `index ${i}`);
    if (!Number.isFinite(c)) throwBadPrice(name, 'close', c, `index ${i}`);
    if (h < l) throwHighBelowLow(name, h, l, `index ${i}`);
    if (i > 0) {
      let tr = h - l;
      const toHigh = Math.abs(prevClose - h);
      if (toHigh > tr) tr = toHigh;
      const toLow = Math.abs(prevClose - l);
      if (toLow > tr) tr = toLow;
      if (i <= period) {
        atr += tr;
        if (i === period) {
          atr /= period;
          out[i] = atr;
        }
      } else {
        atr *= pm1;
        atr += tr;
        atr /= period;
        out[i] = atr;
      }
    }
    prevClose = c;
  }
  return out;
}
