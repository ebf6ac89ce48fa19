// A run's report from its output records: profit, return, CAGR, drawdown, Sharpe, Sortino, trade statistics,
// exposure and fees — the numbers the CLI summary, the API and the web all show.
import type { EngineEvent } from './engine-events.ts';
import type { Money } from './money.ts';
import { type SessionBoundaries, SessionClock } from './session-clock.ts';

type EquityPoint = Extract<EngineEvent, { type: 'equity' }>;

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

/** The report of a whole list of records (a paper run's, a test's). */
export function metricsReport(events: readonly EngineEvent[], options: MetricsOptions): MetricsReport {
  const metrics = new MetricsAccumulator(options);
  for (const e of events) metrics.add(e);
  return metrics.report();
}

/** The report folded record by record, so a backtest need not keep its million equity points until the
 * end (they are most of its memory, and old-generation garbage to collect): the same arithmetic in the
 * same order as over the whole list. Only the per-session closing equities (hundreds a year) are kept. */
export class MetricsAccumulator {
  private readonly start: Money;
  private readonly sessions: SessionClock;
  private readonly periods: number;
  private points = 0;
  private firstTime = 0;
  /** The last point's equity, time and fees (copied: a backtest's engine reuses its point object). */
  private last: { equity: Money; time: number; fees: Money } | undefined;
  private peak: Money;
  private peakTime = NaN;
  private maxDrawdown = 0;
  private maxDrawdownPct = 0;
  private maxDuration = 0;
  private exposed = 0;
  private readonly sessionEnds: number[] = [];
  private session = NaN;
  private trades = 0;
  private wins = 0;
  private grossWin = 0;
  private lossSum = 0;

  constructor(options: MetricsOptions) {
    this.start = options.startingCapital;
    this.sessions = new SessionClock(options.sessions);
    this.periods = options.periodsPerYear ?? 252;
    this.peak = this.start;
  }

  /** Takes one record (only equity points and round trips count). */
  add(e: EngineEvent): void {
    if (e.type === 'equity') this.addPoint(e);
    else if (e.type === 'trade') {
      this.trades++;
      if (e.pnl > 0) {
        this.wins++;
        this.grossWin += e.pnl;
      } else this.lossSum += e.pnl;
    }
  }

  private addPoint(p: EquityPoint): void {
    if (this.points++ === 0) {
      this.firstTime = p.time;
      this.peakTime = p.time;
    }
    const last = (this.last ??= { equity: 0, time: 0, fees: 0 });
    last.equity = p.equity;
    last.time = p.time;
    last.fees = p.fees;
    if (p.position !== 0) this.exposed++;
    if (p.equity >= this.peak) {
      this.maxDuration = Math.max(this.maxDuration, p.time - this.peakTime);
      this.peak = p.equity;
      this.peakTime = p.time;
    } else {
      if (this.peak - p.equity > this.maxDrawdown) this.maxDrawdown = this.peak - p.equity;
      this.maxDrawdownPct = Math.max(this.maxDrawdownPct, (this.peak - p.equity) / this.peak);
    }
    const s = this.sessions.sessionOf(p.time);
    if (s === this.session) this.sessionEnds[this.sessionEnds.length - 1] = p.equity;
    else this.sessionEnds.push(p.equity);
    this.session = s;
  }

  report(): MetricsReport {
    const { start, last, trades, wins, grossWin } = this;
    const final = last?.equity ?? start;
    const netProfit = final - start;
    const maxDuration = last && last.equity < this.peak ? Math.max(this.maxDuration, last.time - this.peakTime) : this.maxDuration;
    const returns: number[] = [];
    let previous = start;
    for (const e of this.sessionEnds) {
      returns.push(e / previous - 1);
      previous = e;
    }
    const years = this.points > 1 && last ? (last.time - this.firstTime) / (365.25 * 86_400_000) : 0;
    const losses = trades - wins;
    const grossLoss = -this.lossSum;
    return {
      netProfit,
      totalReturn: netProfit / start,
      cagr: years >= 1 / 365.25 && final > 0 ? (final / start) ** (1 / years) - 1 : null,
      maxDrawdown: this.maxDrawdown,
      maxDrawdownPct: this.maxDrawdownPct,
      maxDrawdownDurationMs: maxDuration,
      sharpe: sharpe(returns, this.periods),
      sortino: sortino(returns, this.periods),
      trades,
      winRate: trades ? wins / trades : null,
      profitFactor: grossLoss > 0 ? grossWin / grossLoss : null,
      averageWin: wins ? Math.round(grossWin / wins) : null,
      averageLoss: losses ? -Math.round(grossLoss / losses) : null,
      expectancy: trades ? Math.round((grossWin - grossLoss) / trades) : null,
      exposure: this.points ? this.exposed / this.points : 0,
      feesPaid: last?.fees ?? 0,
    };
  }
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
