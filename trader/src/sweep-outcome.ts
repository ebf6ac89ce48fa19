// What a sweep's worker posts back for a run: its report and round trips (as COPY text for `trades`, so
// the parent only concatenates them), or the error that failed it.
import { formatMoney } from '@barstream/core/trading';
import type { ReportJson } from './report-json.ts';

/** A finished sweep run, as a worker posts it. */
export interface SweepOutcome {
  readonly runId: number;
  readonly report?: ReportJson;
  readonly error?: string;
  /** The round trips as COPY text lines for `trades` (tradeCopyLines). */
  readonly tradeLines?: string;
  readonly trades?: number;
  readonly through?: number;
  readonly halt?: { readonly reason: string; readonly detail: string };
}

interface TradeLike {
  readonly side: string;
  readonly entryTime: number;
  readonly time: number;
  readonly qty: number;
  readonly entryPrice: number;
  readonly exitPrice: number;
  readonly pnl: number;
  readonly fees: number;
  readonly bars: number;
}

const ms = (t: number): string => new Date(t).toISOString();

/** A run's round trips, numbered from 1, as COPY text (the engine's sides and numbers need no escaping). */
export function tradeCopyLines(runId: number, trades: readonly TradeLike[]): string {
  let out = '';
  for (let i = 0; i < trades.length; i++) {
    const t = trades[i] as TradeLike;
    out += `${runId}\t${i + 1}\t${t.side}\t${ms(t.entryTime)}\t${ms(t.time)}\t${t.qty}\t${t.entryPrice}\t${t.exitPrice}\t${formatMoney(t.pnl)}\t${formatMoney(t.fees)}\t${t.bars}\n`;
  }
  return out;
}
