// Backfill: on start and every reconnect, rebuild from provider history everything after the last
// closed bar (and every bucket still forming), so no candle goes missing and none is counted twice.
import {
  BarAggregator,
  barTradePath,
  type ContractBar,
  type ContractSettings,
  fixedLengthMs,
  type SessionCalendar,
  type Timeframe,
} from '@barstream/core';
import type { Logger, Pool } from '@barstream/core/node';
import type { FenceClaim } from './fence-check.ts';
import { fixStoredBar, lastClosedLabels, writeHistoryBars } from './history-store.ts';
import type { MarketDataProvider } from './providers/provider.ts';

/** Closed bars ending this close before a (re)connect are checked against the vendor's too: a
 * process killed before its connect-minute repair finished (or while the repair's writes failed)
 * left them closed but partial, and nothing else would ever look at them again. */
export const REVERIFY_CLOSED_MS = 15 * 60_000;

export interface BackfillOptions {
  readonly pool: Pool;
  readonly provider: MarketDataProvider;
  readonly calendars: ReadonlyMap<string, SessionCalendar>;
  readonly timeframes: readonly Timeframe[];
  readonly lookbackMs: number;
  readonly logger: Logger;
  /** The contract's lease claim, checked by every write (fence-check.ts); absent when leases are off. */
  readonly claim?: FenceClaim;
}

export interface BackfillResult {
  readonly written: number;
  /** Bars of buckets still forming at the end of history: merge them into live aggregation. */
  readonly forming: ContractBar[];
}

/** Timeframes that can be built from the provider's history resolution. */
export function backfillTimeframes(timeframes: readonly Timeframe[], base: Timeframe): Timeframe[] {
  const baseLength = fixedLengthMs(base) ?? Infinity;
  return timeframes.filter((tf) => {
    const length = fixedLengthMs(tf);
    return length === undefined || (length >= baseLength && length % baseLength === 0);
  });
}

export async function backfillContract(
  options: BackfillOptions,
  contract: ContractSettings,
  historyTo: number,
  signal?: AbortSignal,
): Promise<BackfillResult> {
  const { provider, pool } = options;
  const base = provider.historyTimeframe;
  if (!base || !provider.fetchBars) return { written: 0, forming: [] };
  const calendar = options.calendars.get(contract.id) as SessionCalendar;
  const timeframes = backfillTimeframes(options.timeframes, base);
  const lastClosed = await lastClosedLabels(pool, contract.id, timeframes, historyTo);
  const earliest = historyTo - options.lookbackMs;
  // Per timeframe: everything after its last closed bar is missing, and the closed bars of the last
  // minutes may be partial; the whole bucket the resume point falls in is refetched. Only a bar whose
  // bucket ended by the connect counts: live trades after it spanning the close grace before this runs
  // close (and store) the connect's bucket, and resuming after that one would leave the outage unfetched.
  // Of a timeframe's last two closed bars labelled before the connect, at most one holds it.
  const resume = new Map(
    timeframes.map((tf) => {
      const label = lastClosed.get(`${tf.unit}|${tf.value}`)?.find((l) => calendar.bucket(l, tf).to <= historyTo);
      const afterLast = label === undefined ? earliest : calendar.bucket(label, tf).to;
      return [tf, Math.max(earliest, Math.min(afterLast, historyTo - REVERIFY_CLOSED_MS))] as const;
    }),
  );
  const historyFrom = Math.min(...[...resume].map(([tf, t]) => calendar.bucket(t, tf).from));
  if (!(historyFrom < historyTo)) return { written: 0, forming: [] };
  const bars = await provider.fetchBars(contract.id, base, historyFrom, historyTo, signal);
  const rebuilt = rebuild(contract.id, bars, timeframes, calendar, fixedLengthMs(base) ?? 60_000, historyTo);
  const closed = rebuilt.filter((b) => b.isClosed && calendar.bucket(b.time, tfOf(b)).to > (resume.get(matching(timeframes, b)) ?? 0));
  const written = await writeHistoryBars(pool, closed, options.claim);
  options.logger.info(
    {
      contract: contract.id,
      from: new Date(historyFrom).toISOString(),
      to: new Date(historyTo).toISOString(),
      historyBars: bars.length,
      closedWritten: written,
    },
    'backfilled from provider history',
  );
  return { written, forming: rebuilt.filter((b) => !b.isClosed) };
}

/** The bar of one whole bucket as the vendor's history makes it (undefined: the vendor has none of it). */
export async function vendorBucketBar(
  provider: MarketDataProvider,
  contractId: string,
  calendar: SessionCalendar,
  timeframe: Timeframe,
  bucket: { readonly from: number; readonly to: number; readonly time: number },
): Promise<ContractBar | undefined> {
  const base = provider.historyTimeframe;
  if (!base || !provider.fetchBars) return undefined;
  const bars = await provider.fetchBars(contractId, base, bucket.from, bucket.to);
  const rebuilt = rebuild(contractId, bars, [timeframe], calendar, fixedLengthMs(base) ?? 60_000, bucket.to);
  return rebuilt.find((b) => b.isClosed && b.time === bucket.time);
}

/** Feeds history bars through the same aggregator as live trades; buckets ending by `historyTo` close. */
function rebuild(
  contractId: string,
  bars: readonly { time: number; open: number; high: number; low: number; close: number; volume: number }[],
  timeframes: readonly Timeframe[],
  calendar: SessionCalendar,
  baseLength: number,
  historyTo: number,
): ContractBar[] {
  if (timeframes.length === 0) return [];
  const aggregator = new BarAggregator({ timeframes, calendarFor: () => calendar, graceMs: 0 });
  const out = new Map<string, ContractBar>();
  const collect = (): void => {
    for (const b of aggregator.drain()) out.set(`${b.unit}|${b.value}|${b.time}`, b);
  };
  for (const bar of bars) {
    for (const trade of barTradePath(contractId, bar, bar.time, bar.time + baseLength)) aggregator.addTrade(trade, trade.time);
    aggregator.advance(bar.time);
    collect();
  }
  aggregator.advance(historyTo);
  collect();
  return [...out.values()];
}

/** Stores history for a bucket that closed live before backfill could merge into it (`claim`: the
 * contract's lease claim, checked in the same transaction). */
export function mergeIntoStored(pool: Pool, bar: ContractBar, claim?: FenceClaim): Promise<void> {
  return fixStoredBar(
    pool,
    { contractId: bar.contractId, unit: bar.unit, value: bar.value, time: bar.time },
    { open: bar.open, high: bar.high, low: bar.low, volumeDelta: bar.volume },
    bar,
    claim,
  );
}

const tfOf = (b: ContractBar): Timeframe => ({ unit: b.unit, value: b.value });
const matching = (tfs: readonly Timeframe[], b: ContractBar): Timeframe =>
  tfs.find((t) => t.unit === b.unit && t.value === b.value) as Timeframe;
