// A run's report from its output records: profit, return, CAGR, drawdown, Sharpe, Sortino, trade statistics,
// exposure and fees — the numbers the CLI summary, the API and the web all show.
import type { EngineEvent } from './engine-events.ts';
import type { Money } from './money.ts';
import { type SessionBoundaries, SessionClock } from './session-clock.ts';

type EquityPoint = Extract<EngineEvent, { type: 'equity' }>;
type Trade = Extract<EngineEvent, { type: 'trade' }>;

export interface MetricsOptions {
  readonly startingCapital: Money;
  /** The contract's sessions (a `SessionCalendar`): returns are per session. Default: UTC dates. */
  readonly sessions?: SessionBoundaries;
  /** Sessions per year for annualising Sharpe and Sortino: 252 (futures, default) or 365 (crypto). */
  readonly periodsPerYear?: number;
}

export interface MetricsReport {
  readonly netProfit: Money;
  /** Net profit / starting capital. */
  readonly totalReturn: number;
  /** (final / start)^(1 / years) − 1, years = first to last equity point / 365.25 days; null under a day. */
  readonly cagr: number | null;
  readonly maxDrawdown: Money;
  /** Max drawdown as a fraction of the peak it fell from. */
  readonly maxDrawdownPct: number;
  /** Longest time (ms) from a peak until equity regained it (or the last point, if it never did). */
  readonly maxDrawdownDurationMs: number;
  /** Mean / sample standard deviation of per-session returns × √periodsPerYear (risk-free rate 0); null under 2 sessions. */
  readonly sharpe: number | null;
  /** Mean / downside deviation (√(Σ min(r, 0)² / n)) of per-session returns × √periodsPerYear; null without a losing session. */
  readonly sortino: number | null;
  readonly trades: number;
  /** Winning trades (net PnL > 0) / trades; null without trades. */
  readonly winRate: number | null;
  /** Gross profit / gross loss of trades (net of fees); null when there is no losing trade. */
  readonly profitFactor: number | null;
  readonly averageWin: Money | null;
  readonly averageLoss: Money | null;
  /** Mean net PnL per trade. */
  readonly expectancy: Money | null;
  /** Fraction of equity points (closed bars) with a position open at the close. */
  readonly exposure: number;
  readonly feesPaid: Money;
}

export function metricsReport(events: readonly EngineEvent[], options: MetricsOptions): MetricsReport {
  const start = options.startingCapital;
  const sessions = new SessionClock(options.sessions);
  const periods = options.periodsPerYear ?? 252;
  const points: EquityPoint[] = [];
  const trades: Trade[] = [];
  for (const e of events) {
    if (e.type === 'equity') points.push(e);
    else if (e.type === 'trade') trades.push(e);
  }
  const last = points[points.length - 1];
  const final = last?.equity ?? start;
  const netProfit = final - start;

  let peak = start;
  let peakTime = points[0]?.time ?? 0;
  let maxDrawdown = 0;
  let maxDrawdownPct = 0;
  let maxDuration = 0;
  let exposed = 0;
  const sessionEnds: number[] = [];
  let session = NaN;
  for (const p of points) {
    if (p.position !== 0) exposed++;
    if (p.equity >= peak) {
      maxDuration = Math.max(maxDuration, p.time - peakTime);
      peak = p.equity;
      peakTime = p.time;
    } else {
      if (peak - p.equity > maxDrawdown) maxDrawdown = peak - p.equity;
      maxDrawdownPct = Math.max(maxDrawdownPct, (peak - p.equity) / peak);
    }
    const s = sessions.sessionOf(p.time);
    if (s === session) sessionEnds[sessionEnds.length - 1] = p.equity;
    else sessionEnds.push(p.equity);
    session = s;
  }
  if (last && last.equity < peak) maxDuration = Math.max(maxDuration, last.time - peakTime);

  const returns: number[] = [];
  let previous = start;
  for (const e of sessionEnds) {
    returns.push(e / previous - 1);
    previous = e;
  }
  const years = points.length > 1 ? (last!.time - points[0]!.time) / (365.25 * 86_400_000) : 0;
  const wins = trades.filter((t) => t.pnl > 0);
  const losses = trades.filter((t) => t.pnl <= 0);
  const grossWin = wins.reduce((s, t) => s + t.pnl, 0);
  const grossLoss = -losses.reduce((s, t) => s + t.pnl, 0);
  return {
    netProfit,
    totalReturn: netProfit / start,
    cagr: years >= 1 / 365.25 && final > 0 ? (final / start) ** (1 / years) - 1 : null,
    maxDrawdown,
    maxDrawdownPct,
    maxDrawdownDurationMs: maxDuration,
    sharpe: sharpe(returns, periods),
    sortino: sortino(returns, periods),
    trades: trades.length,
    winRate: trades.length ? wins.length / trades.length : null,
    profitFactor: grossLoss > 0 ? grossWin / grossLoss : null,
    averageWin: wins.length ? Math.round(grossWin / wins.length) : null,
    averageLoss: losses.length ? -Math.round(grossLoss / losses.length) : null,
    expectancy: trades.length ? Math.round((grossWin - grossLoss) / trades.length) : null,
    exposure: points.length ? exposed / points.length : 0,
    feesPaid: last?.fees ?? 0,
  };
}

function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

function sharpe(returns: readonly number[], periods: number): number | null {
  if (returns.length < 2) return null;
  const m = mean(returns);
  const sd = Math.sqrt(returns.reduce((s, r) => s + (r - m) ** 2, 0) / (returns.length - 1));
  return sd > 0 ? (m / sd) * Math.sqrt(periods) : null;
}

function sortino(returns: readonly number[], periods: number): number | null {
  if (returns.length < 2) return null;
  const downside = Math.sqrt(returns.reduce((s, r) => s + Math.min(r, 0) ** 2, 0) / returns.length);
  return downside > 0 ? (mean(returns) / downside) * Math.sqrt(periods) : null;
}
