// A stored metricsReport (strategy_runs.report, JSON of core's MetricsReport: money in 10⁻⁸ units) →
// the API's report: money as exact decimal text, snake_case, and the annualisation stated.
import { z } from 'zod';
import type { WireReport } from '../api/trading-schemas.ts';
import { reportMoneyText } from './money-text.ts';

const amount = z.union([z.number(), z.string()]);

const storedReportSchema = z.object({
  netProfit: amount,
  totalReturn: z.number(),
  cagr: z.number().nullable(),
  maxDrawdown: amount,
  maxDrawdownPct: z.number(),
  maxDrawdownDurationMs: z.number(),
  sharpe: z.number().nullable(),
  sortino: z.number().nullable(),
  trades: z.number().int(),
  winRate: z.number().nullable(),
  profitFactor: z.number().nullable(),
  averageWin: amount.nullable(),
  averageLoss: amount.nullable(),
  expectancy: amount.nullable(),
  exposure: z.number(),
  feesPaid: amount,
});

/** metricsReport's default for futures; crypto trades every day of the year. */
export function annualisationOf(instrumentKind: string | undefined): string {
  const periods = instrumentKind === 'crypto' ? 365 : 252;
  return `per-session returns × √${periods} (sessions per year), risk-free rate 0`;
}

/** The API report, or null when none is stored yet or it is not a metricsReport. */
export function reportWire(stored: unknown, instrumentKind: string | undefined): WireReport | null {
  const parsed = storedReportSchema.safeParse(stored);
  if (!parsed.success) return null;
  const r = parsed.data;
  const optionalMoney = (v: number | string | null): string | null => (v === null ? null : reportMoneyText(v));
  return {
    net_profit: reportMoneyText(r.netProfit),
    total_return: r.totalReturn,
    cagr: r.cagr,
    max_drawdown: reportMoneyText(r.maxDrawdown),
    max_drawdown_pct: r.maxDrawdownPct,
    max_drawdown_duration_ms: r.maxDrawdownDurationMs,
    sharpe: r.sharpe,
    sortino: r.sortino,
    annualisation: annualisationOf(instrumentKind),
    trades: r.trades,
    win_rate: r.winRate,
    profit_factor: r.profitFactor,
    average_win: optionalMoney(r.averageWin),
    average_loss: optionalMoney(r.averageLoss),
    expectancy: optionalMoney(r.expectancy),
    exposure: r.exposure,
    fees_paid: reportMoneyText(r.feesPaid),
  };
}
