// One ohlc_bars row as the ingester reads it back (SELECT or RETURNING) and its ContractBar.
import type { ContractBar, TimeframeUnit } from '@barstream/core';

export interface BarRow {
  contract_id: string;
  t: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  timeframe_unit: number;
  timeframe_value: number;
  is_closed: boolean;
}

/** The select list that yields a BarRow (open time as epoch milliseconds). */
export const BAR_ROW_COLUMNS = `contract_id, (extract(epoch FROM "timestamp") * 1000)::float8 AS t, open, high, low, close, volume, timeframe_unit, timeframe_value, is_closed`;

export const toContractBar = (r: BarRow): ContractBar => ({
  contractId: r.contract_id,
  time: r.t,
  open: r.open,
  high: r.high,
  low: r.low,
  close: r.close,
  volume: r.volume,
  unit: r.timeframe_unit as TimeframeUnit,
  value: r.timeframe_value,
  isClosed: r.is_closed,
});
