// Reads an analyzer's trend starts (detected_signals rows) for one contract and timeframe.
import 'server-only';
import { formatTimeframe } from '@barstream/core';
import type { TrendStartsResponse } from '../api-schemas.ts';
import type { TrendStartsQuery } from '../params.ts';
import { db } from '../server/db.ts';

export interface StoredTrendStart {
  readonly timestamp: Date;
  readonly signalType: string;
  readonly signalPrice: number | null;
  readonly details: unknown;
  readonly triggerTimestamp: Date;
}

/** Ascending by bar time; the newest `limit` signals up to `to`. */
export async function trendStarts(q: TrendStartsQuery): Promise<StoredTrendStart[]> {
  const rows = await db().detectedSignal.findMany({
    where: {
      analyzerId: q.analyzerId,
      contractId: q.contractId,
      timeframe: formatTimeframe(q.timeframe),
      timestamp: { gte: q.from, lte: q.to },
    },
    orderBy: [{ timestamp: 'desc' }, { signalId: 'desc' }],
    take: q.limit,
    select: { timestamp: true, signalType: true, signalPrice: true, details: true, triggerTimestamp: true },
  });
  return rows.reverse();
}

export function toTrendStartsResponse(q: TrendStartsQuery, rows: readonly StoredTrendStart[]): TrendStartsResponse {
  return {
    contract_id: q.contractId,
    timeframe: formatTimeframe(q.timeframe),
    analyzer_id: q.analyzerId,
    signals: rows.map((r) => ({
      timestamp: r.timestamp.toISOString(),
      signal_type: r.signalType,
      signal_price: r.signalPrice,
      details: r.details,
      trigger_timestamp: r.triggerTimestamp.toISOString(),
    })),
  };
}
