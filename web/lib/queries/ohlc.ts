// Reads candles from ohlc_bars: the newest `limit` bars of one contract and timeframe in range.
import 'server-only';
import { formatTimeframe, NotFoundError } from '@barstream/core';
import { ohlcResponseJson, ohlcResponseStream } from '../api/ohlc-json.ts';
import { MAX_LIMIT } from '../api/query-fields.ts';
import type { RangeQuery } from '../api/routes.ts';
import { contractExists, requireConfiguredTimeframe } from './contracts.ts';
import { recentBars } from '../server/bar-cache.ts';
import { db } from '../server/db.ts';
import type { BarRange, StoredBar } from '../server/stored-bars.ts';
import { streamOhlcJson } from './ohlc-stream.ts';

export type { StoredBar };

/** Ascending by time; the newest `limit` bars in range (so a limit keeps the most recent ones).
 * Recent bars come from the web process's cache (web/lib/server/recent-bars-cache.ts). */
export function newestBars(q: Pick<RangeQuery, 'contractId' | 'timeframe' | 'from' | 'to' | 'limit'>): Promise<StoredBar[]> {
  return recentBars().newestBars(barRange(q));
}

const barRange = (q: Pick<RangeQuery, 'contractId' | 'timeframe' | 'from' | 'to' | 'limit'>): BarRange => ({
  contractId: q.contractId,
  timeframe: q.timeframe,
  limit: q.limit,
  fromMs: q.from?.getTime(),
  toMs: q.to?.getTime(),
});

/** Only an empty answer pays for the lookup that tells "no bars yet" from "no such contract". */
export async function requireContractIfEmpty(contractId: string, rows: readonly unknown[]): Promise<void> {
  if (rows.length === 0 && !(await contractExists(contractId))) throw new NotFoundError(`contract '${contractId}'`);
}

/** Answers up to this many bars are written as one text; larger ones are streamed. */
const CACHED_LIMIT = MAX_LIMIT;

/** /api/ohlc's answer as JSON text (web/lib/api/ohlc-json.ts), streamed beyond CACHED_LIMIT bars:
 * from the cache of recent bars when it holds them (or can hold them: the series' newest bars),
 * else read from the database page by page. */
export async function ohlcJson(q: RangeQuery): Promise<string | ReadableStream<Uint8Array>> {
  requireConfiguredTimeframe(q.timeframe);
  if (q.limit > CACHED_LIMIT) {
    const held = await recentBars().heldNewestBars(barRange(q));
    if (held && held.length > 0) return ohlcResponseStream(q.contractId, formatTimeframe(q.timeframe), held);
    if (!held) {
      const stream = await streamOhlcJson(db(), q, formatTimeframe(q.timeframe));
      if (stream) return stream;
    }
  }
  const bars = await newestBars(q);
  await requireContractIfEmpty(q.contractId, bars);
  return ohlcResponseJson(q.contractId, formatTimeframe(q.timeframe), bars);
}
