import { describe, expect, it } from 'vitest';
import type { EngineEvent } from './engine-events.ts';
import { metricsReport } from './metrics-report.ts';
import { MONEY_SCALE } from './money.ts';

const $ = (x: number): number => x * MONEY_SCALE;
const D = Date.UTC(2024, 0, 1);
const H = 3_600_000;
const DAY = 24 * H;

function point(time: number, equity: number, position: number, fees = 0): EngineEvent {
  return {
    type: 'equity',
    time,
    cash: $(equity),
    equity: $(equity),
    positionValue: 0,
    unrealizedPnl: 0,
    realizedPnl: 0,
    fees: $(fees),
    marginUsed: 0,
    position,
  };
}
function trade(pnl: number): EngineEvent {
  return { type: 'trade', time: D, side: 'long', entryTime: D, qty: 1, entryPrice: 1, exitPrice: 1, pnl: $(pnl), fees: 0, bars: 1 };
}

describe('metrics report', () => {
  it('computes each figure of a hand-made run', () => {
    const events = [
      point(D, 10_000, 0),
      point(D + H, 10_100, 1),
      trade(150),
      point(D + DAY, 9_900, 1),
      trade(-50),
      point(D + 2 * DAY, 10_200, 0, 3),
      trade(100),
    ];
    const r = metricsReport(events, { startingCapital: $(10_000) });
    // Session ends: 10,100, 9,900, 10,200 against 10,000 at the start.
    const returns = [10_100 / 10_000 - 1, 9_900 / 10_100 - 1, 10_200 / 9_900 - 1];
    const mean = (returns[0]! + returns[1]! + returns[2]!) / 3;
    const sd = Math.sqrt(returns.reduce((s, x) => s + (x - mean) ** 2, 0) / 2);
    const downside = Math.sqrt(returns[1]! ** 2 / 3);
    expect(r).toEqual({
      netProfit: $(200),
      totalReturn: 0.02,
      cagr: 1.02 ** (365.25 / 2) - 1,
      maxDrawdown: $(200),
      maxDrawdownPct: 200 / 10_100,
      maxDrawdownDurationMs: 2 * DAY - H,
      sharpe: (mean / sd) * Math.sqrt(252),
      sortino: (mean / downside) * Math.sqrt(252),
      trades: 3,
      winRate: 2 / 3,
      profitFactor: 5,
      averageWin: $(125),
      averageLoss: $(-50),
      expectancy: Math.round($(200) / 3),
      exposure: 0.5,
      feesPaid: $(3),
    });
    expect(metricsReport(events, { startingCapital: $(10_000), periodsPerYear: 365 }).sharpe).toBeCloseTo((mean / sd) * Math.sqrt(365), 12);
  });

  it('a run without bars or trades reports zeros and nulls, not NaN', () => {
    expect(metricsReport([], { startingCapital: $(1_000) })).toMatchObject({
      netProfit: 0,
      cagr: null,
      sharpe: null,
      sortino: null,
      trades: 0,
      winRate: null,
      profitFactor: null,
      expectancy: null,
      exposure: 0,
      maxDrawdownDurationMs: 0,
    });
  });
});
