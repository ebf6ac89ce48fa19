// A metrics report as stored (strategy_runs.report) and printed by `--json`: money fields as exact
// decimal text in the currency (formatMoney), ratios and counts as numbers.
import { formatMoney, type MetricsReport } from '@barstream/core/trading';

const MONEY_FIELDS = ['netProfit', 'maxDrawdown', 'averageWin', 'averageLoss', 'expectancy', 'feesPaid'] as const;

export type ReportJson = { [K in keyof MetricsReport]: K extends (typeof MONEY_FIELDS)[number] ? string | null : MetricsReport[K] };

export function reportJson(report: MetricsReport): ReportJson {
  const out: Record<string, unknown> = { ...report };
  for (const k of MONEY_FIELDS) {
    const v = report[k];
    out[k] = v === null ? null : formatMoney(v);
  }
  return out as ReportJson;
}
