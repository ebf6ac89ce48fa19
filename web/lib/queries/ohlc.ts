// Reads candles from ohlc_bars: the newest `limit` bars of one contract and timeframe in range.
import 'server-only';
import type { CopiedBar } from '@barstream/core/node';
import { formatTimeframe, NotFoundError } from '@barstream/core';
import { EARLIEST_INSTANT_MS, LATEST_INSTANT_MS } from '../api/query-fields.ts';
import type { OhlcResponse } from '../api/response-schemas.ts';
import type { RangeQuery } from '../api/routes.ts';
import { contractExists } from './contracts.ts';
import { isoFromEpochMs } from './iso-time.ts';
import { readNewestBars } from '../server/bar-reader.ts';

/** A stored bar: open time in epoch milliseconds, with is_closed. */
export type StoredBar = CopiedBar;

/** Ascending by time; the newest `limit` bars in range (so a limit keeps the most recent ones). */
export function newestBars(q: Pick<RangeQuery, 'contractId' | 'timeframe' | 'from' | 'to' | 'limit'>): Promise<StoredBar[]> {
  return readNewestBars({ contractId: q.contractId, timeframe: q.timeframe, limit: q.limit,
    fromMs: q.from?.getTime() ?? EARLIEST_INSTANT_MS, toMs: q.to?.getTime() ?? LATEST_INSTANT_MS });
}

/** Only an empty answer pays for the lookup that tells "no bars yet" from "no such contract". */
export async function requireContractIfEmpty(contractId: string, rows: readonly unknown[]): Promise<void> {
  if (rows.length === 0 && !(await contractExists(contractId))) throw new NotFoundError(`contract '${contractId}'`);
}

export async function ohlc(q: RangeQuery): Promise<OhlcResponse> {
  const bars = await newestBars(q);
  await requireContractIfEmpty(q.contractId, bars);
  return {
    contract_id: q.contractId,
    timeframe: formatTimeframe(q.timeframe),
    bars: bars.map((b) => ({
      timestamp: isoFromEpochMs(b.time),
      open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume, is_closed: b.isClosed === true,
    })),
  };
}
