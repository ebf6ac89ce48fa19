// ema_cross_rsi: fast EMA crossing the slow EMA, buys only below RSI overbought, sells only above oversold.
import type { OhlcBar } from '../bar.ts';
import { Ema } from '../indicators/ema.ts';
import { Rsi } from '../indicators/rsi.ts';
import { z } from 'zod';
import { NO_SIGNALS, type Strategy, type StrategyDefinition, type StrategySignal } from './strategy.ts';
import { boolParam, defineStrategy, intParam, numberParam } from './strategy-params.ts';

export class EmaCrossRsi implements Strategy {
  private readonly fast: Ema;
  private readonly slow: Ema;
  private readonly rsi: Rsi;
  private lastDiff: number | undefined;

  constructor(
    private readonly p: { fast: number; slow: number; rsiPeriod: number; overbought: number; oversold: number; rsiFilter: boolean },
  ) {
    this.fast = new Ema(p.fast);
    this.slow = new Ema(p.slow);
    this.rsi = new Rsi(p.rsiPeriod);
  }

  update(bar: OhlcBar): readonly StrategySignal[] {
    const fast = this.fast.update(bar);
    const slow = this.slow.update(bar);
    const rsi = this.rsi.update(bar);
    if (fast === undefined || slow === undefined) return NO_SIGNALS;
    const diff = fast - slow;
    const prev = this.lastDiff;
    this.lastDiff = diff;
    // A cross needs a strict sign change; touching zero and returning is not a cross.
    if (prev === undefined || diff === 0 || Math.sign(diff) === Math.sign(prev) || prev === 0) return NO_SIGNALS;
    const type = diff > 0 ? 'buy' : 'sell';
    if (this.p.rsiFilter) {
      if (rsi === undefined) return NO_SIGNALS;
      if (type === 'buy' && !(rsi < this.p.overbought)) return NO_SIGNALS;
      if (type === 'sell' && !(rsi > this.p.oversold)) return NO_SIGNALS;
    }
    // Confidence: how decisively the cross happened, relative to price, and RSI room left.
    const separation = Math.abs(diff) / bar.close;
    const rsiRoom =
      rsi === undefined
        ? undefined
        : type === 'buy'
          ? (this.p.overbought - rsi) / this.p.overbought
          : (rsi - this.p.oversold) / (100 - this.p.oversold);
    const confidence = Math.max(0, Math.min(1, 0.5 + separation * 100 + (rsiRoom ?? 0) * 0.25));
    return [
      {
        type,
        bar,
        price: bar.close,
        details: {
          fast_ema: fast,
          slow_ema: slow,
          rsi: rsi ?? null,
          confidence: Number(confidence.toFixed(4)),
          rule: `ema${this.p.fast}_${type === 'buy' ? 'above' : 'below'}_ema${this.p.slow}`,
        },
      },
    ];
  }
}

function paramsSchema(rsiFilterDefault: boolean) {
  return z
    .strictObject({
      fast: intParam(20, 2),
      slow: intParam(50, 3),
      rsi_period: intParam(14, 2),
      overbought: numberParam(70),
      oversold: numberParam(30),
      rsi_filter: boolParam(rsiFilterDefault),
    })
    .refine((p) => p.fast < p.slow, {
      path: ['fast'],
      when: (payload) => payload.issues.length === 0,
      error: (iss) => {
        const p = iss.input as { fast: number; slow: number };
        return `expected fast below slow (${p.slow}), got ${p.fast}`;
      },
    });
}

function build(p: z.output<ReturnType<typeof paramsSchema>>): EmaCrossRsi {
  return new EmaCrossRsi({
    fast: p.fast,
    slow: p.slow,
    rsiPeriod: p.rsi_period,
    overbought: p.overbought,
    oversold: p.oversold,
    rsiFilter: p.rsi_filter,
  });
}

export const emaCrossRsiStrategy: StrategyDefinition = defineStrategy({
  id: 'ema_cross_rsi',
  description: 'EMA(20) crossing EMA(50); buy only when RSI(14) < 70, sell only when RSI(14) > 30',
  params: paramsSchema(true),
  build,
});

export const emaCrossStrategy: StrategyDefinition = defineStrategy({
  id: 'ema_cross',
  description: 'EMA(20) crossing EMA(50), no filter',
  params: paramsSchema(false),
  build,
});
