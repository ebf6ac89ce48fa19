// Reads candles from ohlc_bars: the newest `limit` bars of one contract and timeframe in range.
import 'server-only';
import { formatTimeframe, NotFoundError } from '@barstream/core';
import { ohlcResponseJson } from '../api/ohlc-json.ts';
import type { RangeQuery } from '../api/routes.ts';
import { contractExists, requireConfiguredTimeframe } from './contracts.ts';
import { recentBars } from '../server/bar-cache.ts';
import type { StoredBar } from '../server/stored-bars.ts';

export type { StoredBar };

/** Ascending by time; the newest `limit` bars in range (so a limit keeps the most recent ones).
 * Recent bars come from the web process's cache (web/lib/server/recent-bars-cache.ts). */
export function newestBars(q: Pick<RangeQuery, 'contractId' | 'timeframe' | 'from' | 'to' | 'limit'>): Promise<StoredBar[]> {
  return recentBars().newestBars({
    contractId: q.contractId,
    timeframe: q.timeframe,
    limit: q.limit,
    fromMs: q.from?.getTime(),
    toMs: q.to?.getTime(),
  });
}

/** Only an empty answer pays for the lookup that tells "no bars yet" from "no such contract". */
export async function requireContractIfEmpty(contractId: string, rows: readonly unknown[]): Promise<void> {
  if (rows.length === 0 && !(await contractExists(contractId))) throw new NotFoundError(`contract '${contractId}'`);
}

/** /api/ohlc's answer as JSON text (web/lib/api/ohlc-json.ts). */
export async function ohlcJson(q: RangeQuery): Promise<string> {
  requireConfiguredTimeframe(q.timeframe);
  const bars = await newestBars(q);
  await requireContractIfEmpty(q.contractId, bars);
  return ohlcResponseJson(q.contractId, formatTimeframe(q.timeframe), bars);
}
