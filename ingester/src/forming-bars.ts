// Reads back forming bars after a restart so the aggregator continues them instead of restarting.
import type { ContractBar, TimeframeUnit } from '@barstream/core';
import type { Pool } from '@barstream/core/node';

export async function loadFormingBars(pool: Pool, contractIds: readonly string[]): Promise<ContractBar[]> {
  const { rows } = await pool.query<{
    contract_id: string;
    t: number;
    open: number;
    high: number;
    low: number;
    close: number;
    volume: number;
    timeframe_unit: number;
    timeframe_value: number;
  }>(
    `SELECT contract_id, (extract(epoch FROM "timestamp") * 1000)::float8 AS t, open, high, low, close, volume,
            timeframe_unit, timeframe_value
       FROM ohlc_bars WHERE NOT is_closed AND contract_id = ANY($1::text[])`,
    [contractIds],
  );
  return rows.map((r) => ({
    contractId: r.contract_id,
    unit: r.timeframe_unit as TimeframeUnit,
    value: r.timeframe_value,
    time: r.t,
    open: r.open,
    high: r.high,
    low: r.low,
    close: r.close,
    volume: r.volume,
    isClosed: false,
  }));
}
