// Moving average convergence/divergence (MACD): streaming indicator and batch kernel, TA-Lib TA_MACD alignment and seeding.
//
// Convention (TA-Lib TA_MACD, default compatibility; checked against TA-Lib's C source):
// - Both EMAs are aligned to start at the same bar, index slow - 1 (25 for 12/26/9):
//     slow EMA seed = SMA of closes[0 .. slow-1];
//     fast EMA seed = SMA of closes[slow-fast .. slow-1]   (closes 14..25 for 12/26), i.e. the fast EMA
//     is seeded late, NOT at index fast - 1. Its early values therefore differ from a standalone
//     EMA(fast) — that is exactly what TA-Lib (and tools that match it) output.
//   Seed sums are accumulated left to right from 0.0 then divided by the period.
// - From index slow on: ema = (x - ema) * k + ema with k = 2 / (period + 1) (also for 12/26: TA-Lib
//   uses the fixed 0.15/0.075 constants only for TA_MACDFIX, not for TA_MACD(12, 26, 9)).
// - MACD line = fastEMA - slowEMA from index slow - 1.
// - Signal = EMA(signal) of the MACD line, seeded with the SMA of its first `signal` values
//   (MACD line at indices slow-1 .. slow+signal-2), then the same EMA recursion.
// - Histogram = line - signal.
// - Nothing is output before index slow + signal - 2 (33 for 12/26/9; warm-up 34 bars), where all
//   three values first exist — TA-Lib's lookback.
// Parameters: fast >= 2, slow > fast (TA-Lib silently swaps fast/slow; a reversed name is almost
// certainly a mistake, so it is rejected), signal >= 1.
import type { OhlcBar } from '../bar.ts';
import type { MacdValue, StreamingIndicator } from './indicator.ts';
import { IndicatorError } from './indicator-error.ts';
import { checkPeriod, throwBadPrice, throwOutOfOrder } from './indicator-input.ts';

export interface MacdParams {
  readonly fast: number;
  readonly slow: number;
  readonly signal: number;
}

export interface MacdColumns {
  readonly macd: Float64Array;
  readonly signal: Float64Array;
  readonly histogram: Float64Array;
}

function checkMacdParams(fast: number, slow: number, signal: number): void {
  checkPeriod('macd', 'fast period', fast, 2);
  checkPeriod('macd', 'slow period', slow, 2);
  checkPeriod('macd', 'signal period', signal, 1);
  if (fast >= slow) {
    throw new IndicatorError('INVALID_PARAMS', `macd: fast period (${fast}) must be less than slow period (${slow})`);
  }
}

export class Macd implements StreamingIndicator<MacdValue> {
  readonly name: string;
  readonly warmupBars: number;
  private readonly fast: number;
  private readonly slow: number;
  private readonly signal: number;
  private readonly fastK: number;
  private readonly slowK: number;
  private readonly signalK: number;
  /** Index of the first bar in the fast EMA's seed window. */
  private readonly fastStart: number;
  /** Index of the first output (TA-Lib lookback). */
  private readonly lookback: number;
  /** Committed bars, capped at `lookback + 1`. */
  private count = 0;
  private slowSum = 0;
  private fastSum = 0;
  private signalSum = 0;
  private fastEma = 0;
  private slowEma = 0;
  private signalEma = 0;
  private current: MacdValue | undefined = undefined;
  private lastTime = -Infinity;

  constructor(fast: number, slow: number, signal: number) {
    checkMacdParams(fast, slow, signal);
    this.fast = fast;
    this.slow = slow;
    this.signal = signal;
    this.fastK = 2 / (fast + 1);
    this.slowK = 2 / (slow + 1);
    this.signalK = 2 / (signal + 1);
    this.fastStart = slow - fast;
    this.lookback = slow + signal - 2;
    this.name = `macd_${fast}_${slow}_${signal}`;
    this.warmupBars = this.lookback + 1;
  }

  get isReady(): boolean {
    return this.count > this.lookback;
  }

  get value(): MacdValue | undefined {
    return this.current;
  }

  update(bar: OhlcBar): MacdValue | undefined {
    const t = bar.time;
    const x = bar.close;
    if (!(t > this.lastTime)) throwOutOfOrder(this.name, t, this.lastTime);
    if (!Number.isFinite(x)) throwBadPrice(this.name, 'close', x, `bar time ${t}`);
    this.lastTime = t;
    const i = this.count;
    if (i <= this.lookback) this.count = i + 1;
    if (i < this.slow) {
      this.slowSum += x;
      if (i >= this.fastStart) this.fastSum += x;
      if (i < this.slow - 1) return undefined;
      this.slowEma = this.slowSum / this.slow;
      this.fastEma = this.fastSum / this.fast;
    } else {
      this.fastEma = (x - this.fastEma) * this.fastK + this.fastEma;
      this.slowEma = (x - this.slowEma) * this.slowK + this.slowEma;
    }
    const macd = this.fastEma - this.slowEma;
    if (i < this.lookback) {
      this.signalSum += macd;
      return undefined;
    }
    if (i === this.lookback) {
      this.signalSum += macd;
      this.signalEma = this.signalSum / this.signal;
    } else {
      this.signalEma = (macd - this.signalEma) * this.signalK + this.signalEma;
    }
    const value: MacdValue = { macd, signal: this.signalEma, histogram: macd - this.signalEma };
    this.current = value;
    return value;
  }

  preview(bar: OhlcBar): MacdValue | undefined {
    const t = bar.time;
    const x = bar.close;
    if (!(t > this.lastTime)) throwOutOfOrder(this.name, t, this.lastTime);
    if (!Number.isFinite(x)) throwBadPrice(this.name, 'close', x, `bar time ${t}`);
    const i = this.count;
    if (i < this.lookback) return undefined;
    let fastEma: number;
    let slowEma: number;
    if (i < this.slow) {
      // Only reachable when signal = 1, where the first output is also the EMA seed bar.
      slowEma = (this.slowSum + x) / this.slow;
      fastEma = (this.fastSum + x) / this.fast;
    } else {
      fastEma = (x - this.fastEma) * this.fastK + this.fastEma;
      slowEma = (x - this.slowEma) * this.slowK + this.slowEma;
    }
    const macd = fastEma - slowEma;
    const signal = i === this.lookback ? (this.signalSum + macd) / this.signal : (macd - this.signalEma) * this.signalK + this.signalEma;
    return { macd, signal, histogram: macd - signal };
  }
}

/**
 * MACD over a whole series of closes, as three columns. Slots before index `slow + signal - 2` are
 * NaN in all three. Throws INVALID_INPUT on a non-finite value.
 */
export function macdSeries(values: ArrayLike<number>, fast: number, slow: number, signal: number): MacdColumns {
  checkMacdParams(fast, slow, signal);
  const name = `macd_${fast}_${slow}_${signal}`;
  const len = values.length;
  const macdOut = new Float64Array(len);
  const signalOut = new Float64Array(len);
  const histOut = new Float64Array(len);
  const lookback = slow + signal - 2;
  const warm = Math.min(lookback, len);
  macdOut.fill(NaN, 0, warm);
  signalOut.fill(NaN, 0, warm);
  histOut.fill(NaN, 0, warm);
  const fastK = 2 / (fast + 1);
  const slowK = 2 / (slow + 1);
  const signalK = 2 / (signal + 1);
  const fastStart = slow - fast;
  let slowSum = 0;
  let fastSum = 0;
  let signalSum = 0;
  let fastEma = 0;
  let slowEma = 0;
  let signalEma = 0;
  for (let i = 0; i < len; i++) {
    const x = values[i]!;
    if (!Number.isFinite(x)) throwBadPrice(name, 'value', x, `index ${i}`);
    if (i < slow) {
      slowSum += x;
      if (i >= fastStart) fastSum += x;
      if (i < slow - 1) continue;
      slowEma = slowSum / slow;
      fastEma = fastSum / fast;
    } else {
      fastEma = (x - fastEma) * fastK + fastEma;
      slowEma = (x - slowEma) * slowK + slowEma;
    }
    const macd = fastEma - slowEma;
    if (i < lookback) {
      signalSum += macd;
      continue;
    }
    if (i === lookback) {
      signalSum += macd;
      signalEma = signalSum / signal;
    } else {
      signalEma = (macd - signalEma) * signalK + signalEma;
    }
    macdOut[i] = macd;
    signalOut[i] = signalEma;
    histOut[i] = macd - signalEma;
  }
  return { macd: macdOut, signal: signalOut, histogram: histOut };
}
