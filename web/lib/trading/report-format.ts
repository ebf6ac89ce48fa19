// The run report as people read it: the stats table's rows (label, value) in one order, shared by
// the run page; money stays the API's exact text.
import type { WireReport } from '../api/trading-schemas.ts';

export interface StatRow {
  readonly key: string;
  readonly label: string;
  readonly value: string;
}

const DASH = '—';

export function percentText(x: number | null): string {
  return x === null ? DASH : `${(x * 100).toFixed(2)}%`;
}

export function ratioText(x: number | null): string {
  return x === null ? DASH : x.toFixed(2);
}

/** A duration as days, hours and minutes ("3d 4h", "2h 15m", "45m", "0m"). */
export function durationText(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  return `${m}m`;
}

export function reportRows(r: WireReport): StatRow[] {
  const money = (x: string | null): string => x ?? DASH;
  return [
    { key: 'net_profit', label: 'Net profit', value: r.net_profit },
    { key: 'total_return', label: 'Return', value: percentText(r.total_return) },
    { key: 'cagr', label: 'CAGR', value: percentText(r.cagr) },
    { key: 'max_drawdown', label: 'Max drawdown', value: `${r.max_drawdown} (${percentText(r.max_drawdown_pct)})` },
    { key: 'max_drawdown_duration', label: 'Max drawdown duration', value: durationText(r.max_drawdown_duration_ms) },
    { key: 'sharpe', label: 'Sharpe', value: ratioText(r.sharpe) },
    { key: 'sortino', label: 'Sortino', value: ratioText(r.sortino) },
    { key: 'win_rate', label: 'Win rate', value: percentText(r.win_rate) },
    { key: 'profit_factor', label: 'Profit factor', value: ratioText(r.profit_factor) },
    { key: 'average_win', label: 'Average win', value: money(r.average_win) },
    { key: 'average_loss', label: 'Average loss', value: money(r.average_loss) },
    { key: 'expectancy', label: 'Expectancy', value: money(r.expectancy) },
    { key: 'trades', label: 'Trades', value: String(r.trades) },
    { key: 'exposure', label: 'Exposure', value: percentText(r.exposure) },
    { key: 'fees_paid', label: 'Fees paid', value: r.fees_paid },
  ];
}
