// Reads back forming bars after a restart so the aggregator continues them instead of restarting.
import type { ContractBar } from '@barstream/core';
import type { Pool } from '@barstream/core/node';
import { BAR_ROW_COLUMNS, type BarRow, toContractBar } from './bar-rows.ts';

export async function loadFormingBars(pool: Pool, contractIds: readonly string[]): Promise<ContractBar[]> {
  const { rows } = await pool.query<BarRow>(
    `SELECT ${BAR_ROW_COLUMNS} FROM ohlc_bars WHERE NOT is_closed AND contract_id = ANY($1::text[])`,
    [contractIds],
  );
  return rows.map(toContractBar);
}
