// Reads a target's closed bars in time order, in pages, and checks each before a strategy sees it.
import type { OhlcBar } from '@barstream/core';
import type { Pool } from '@barstream/core/node';
import type { AnalysisUnit } from './targets.ts';

export const PAGE_SIZE = 20_000;

/** Closed bars strictly after `afterMs` (all when undefined) and at most `untilMs`, ascending. */
export async function closedBarsAfter(pool: Pool, unit: AnalysisUnit, afterMs: number | undefined, limit = PAGE_SIZE, untilMs?: number): Promise<OhlcBar[]> {
  const { rows } = await pool.query<{ t: number; open: number; high: number; low: number; close: number; volume: number }>(
    `SELECT (extract(epoch FROM "timestamp") * 1000)::float8 AS t, open, high, low, close, volume
       FROM ohlc_bars
      WHERE contract_id = $1 AND timeframe_unit = $2 AND timeframe_value = $3 AND is_closed
        AND ($4::float8 IS NULL OR "timestamp" > to_timestamp($4::float8 / 1000))
        AND ($5::float8 IS NULL OR "timestamp" <= to_timestamp($5::float8 / 1000))
      ORDER BY "timestamp" LIMIT $6`,
    [unit.contractId, unit.timeframe.unit, unit.timeframe.value, afterMs ?? null, untilMs ?? null, limit],
  );
  return rows.map((r) => ({ time: r.t, open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume }));
}

/** Why a bar must not reach a strategy, or undefined when it is sound. */
export function badBarReason(bar: OhlcBar, previousTime: number | undefined): string | undefined {
  for (const k of ['open', 'high', 'low', 'close', 'volume'] as const) {
    if (!Number.isFinite(bar[k])) return `${k} is not a finite number`;
  }
  if (bar.high < bar.low) return `high ${bar.high} is below low ${bar.low}`;
  if (bar.high < Math.max(bar.open, bar.close) || bar.low > Math.min(bar.open, bar.close)) return 'open/close outside high-low range';
  if (previousTime !== undefined && bar.time <= previousTime) return `out of order: ${new Date(bar.time).toISOString()} is not after ${new Date(previousTime).toISOString()}`;
  return undefined;
}
