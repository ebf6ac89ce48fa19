// Reads detected_signals: one analyzer's trend starts, or every analyzer's signals, for one
// contract and timeframe.
import 'server-only';
import { formatTimeframe } from '@barstream/core';
import type { SignalsResponse, TrendStartsResponse, WireSignal } from '../api/response-schemas.ts';
import type { SignalsQuery, TrendStartsQuery } from '../api/routes.ts';
import { db } from '../server/db.ts';
import { requireConfiguredAnalyzer, requireConfiguredTimeframe } from './contracts.ts';
import { requireContractIfEmpty } from './ohlc.ts';

/** Ascending by bar time; the newest `limit` signals in range. */
async function readSignals(q: SignalsQuery): Promise<WireSignal[]> {
  const rows = await db().detectedSignal.findMany({
    where: {
      contractId: q.contractId,
      timeframe: formatTimeframe(q.timeframe),
      ...(q.analyzerId === undefined ? {} : { analyzerId: q.analyzerId }),
      timestamp: { gte: q.from, lte: q.to },
    },
    orderBy: [{ timestamp: 'desc' }, { signalId: 'desc' }],
    take: q.limit,
    select: {
      signalId: true,
      analyzerId: true,
      timestamp: true,
      triggerTimestamp: true,
      signalType: true,
      signalPrice: true,
      details: true,
    },
  });
  return rows.reverse().map((r) => ({
    signal_id: r.signalId,
    analyzer_id: r.analyzerId,
    timestamp: r.timestamp.toISOString(),
    trigger_timestamp: r.triggerTimestamp.toISOString(),
    signal_type: r.signalType,
    signal_price: r.signalPrice,
    details: isRecord(r.details) ? r.details : {},
  }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function trendStarts(q: TrendStartsQuery): Promise<TrendStartsResponse> {
  requireConfiguredTimeframe(q.timeframe);
  requireConfiguredAnalyzer(q.analyzerId);
  const rows = await readSignals(q);
  await requireContractIfEmpty(q.contractId, rows);
  return { contract_id: q.contractId, timeframe: formatTimeframe(q.timeframe), analyzer_id: q.analyzerId, signals: rows };
}

export async function signals(q: SignalsQuery): Promise<SignalsResponse> {
  requireConfiguredTimeframe(q.timeframe);
  if (q.analyzerId !== undefined) requireConfiguredAnalyzer(q.analyzerId);
  const rows = await readSignals(q);
  await requireContractIfEmpty(q.contractId, rows);
  return { contract_id: q.contractId, timeframe: formatTimeframe(q.timeframe), analyzer_id: q.analyzerId ?? null, signals: rows };
}
