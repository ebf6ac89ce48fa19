// Reads candles from ohlc_bars: the newest `limit` bars of one contract and timeframe up to `to`.
import 'server-only';
import { formatTimeframe } from '@barstream/core';
import type { OhlcResponse } from '../api-schemas.ts';
import type { RangeQuery } from '../params.ts';
import { db } from '../server/db.ts';

export interface StoredBar {
  readonly timestamp: Date;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly isClosed: boolean;
}

/** Ascending by time; newest first in the query so `limit` keeps the most recent bars. */
export async function newestBars(q: RangeQuery): Promise<StoredBar[]> {
  const rows = await db().ohlcBar.findMany({
    where: {
      contractId: q.contractId,
      timeframeUnit: q.timeframe.unit,
      timeframeValue: q.timeframe.value,
      timestamp: { gte: q.from, lte: q.to },
    },
    orderBy: { timestamp: 'desc' },
    take: q.limit,
    select: { timestamp: true, open: true, high: true, low: true, close: true, volume: true, isClosed: true },
  });
  return rows.reverse();
}

export function toOhlcResponse(q: RangeQuery, bars: readonly StoredBar[]): OhlcResponse {
  return {
    contract_id: q.contractId,
    timeframe: formatTimeframe(q.timeframe),
    bars: bars.map((b) => ({
      timestamp: b.timestamp.toISOString(),
      open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume,
      is_closed: b.isClosed,
    })),
  };
}
