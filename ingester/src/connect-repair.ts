// Repairs the minute a (re)connect happened in: live trades only cover it from the connect on, so
// once it is complete the vendor's bar replaces it and every bucket containing it is corrected.
import { type BarAggregator, type ContractSettings, type OhlcBar, type SessionCalendar, sleep, type Timeframe } from '@barstream/core';
import type { Logger, Pool } from '@barstream/core/node';
import { vendorBucketBar } from './backfill.ts';
import type { FenceClaim } from './fence-check.ts';
import { fixStoredBar, writeHistoryBars } from './history-store.ts';
import type { MarketDataProvider } from './providers/provider.ts';

/** What live trading contributed to the connect minute: trades in [from, to). */
export class LiveWindow {
  high = -Infinity;
  low = Infinity;
  volume = 0;
  count = 0;
  constructor(
    readonly from: number,
    readonly to: number,
    /** HistorySync's count of feed drops when this connect happened. */
    readonly drops = 0,
  ) {}

  add(time: number, price: number, volume: number): void {
    if (time < this.from || time >= this.to) return;
    this.high = Math.max(this.high, price);
    this.low = Math.min(this.low, price);
    this.volume += volume;
    this.count++;
  }
}

export interface RepairContext {
  readonly pool: Pool;
  readonly provider: MarketDataProvider;
  readonly aggregator: BarAggregator;
  readonly calendar: SessionCalendar;
  readonly timeframes: readonly Timeframe[];
  readonly nowMs: () => number;
  /** After a bucket's end (stream time), when the vendor's bars of it are final: grace + repair delay. */
  readonly vendorFinalAfterMs: number;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
  /** Feed drops so far: one since the window's connect discarded the buckets that held its trades, and
   * the reconnect's backfill rebuilds them from history (the connect minute included). */
  readonly drops?: () => number;
  /** The contract's lease claim, checked by every write (fence-check.ts); absent when leases are off. */
  readonly claim?: FenceClaim;
}

/** How often a repair waiting for the vendor's bars of a bucket looks at the stream clock. */
const FINAL_POLL_MS = 200;

/** Returns the number of buckets corrected. */
/** `done` records the timeframes already corrected, so a retry after a failure never applies a
 * correction twice (each one shifts volume, so it is not idempotent). */
export async function repairConnectMinute(
  ctx: RepairContext,
  contract: ContractSettings,
  window: LiveWindow,
  minuteStart: number,
  done = new Set<string>(),
): Promise<number> {
  const { provider } = ctx;
  if (!provider.historyTimeframe || !provider.fetchBars) return 0;
  const [vendor] = await provider.fetchBars(contract.id, provider.historyTimeframe, minuteStart, window.to);
  if (!vendor || vendor.time !== minuteStart) return 0;
  let corrected = 0;
  for (const tf of ctx.timeframes) {
    const doneKey = `${tf.unit}|${tf.value}`;
    if (done.has(doneKey)) continue;
    const bucket = ctx.calendar.bucket(minuteStart, tf);
    const startsHere = bucket.from >= minuteStart;
    // Checked with the correction, no await between: a bucket open now after a drop holds only trades
    // since the reconnect, and the reconnect's backfill adds the connect minute to it; corrected too,
    // that minute would count twice. A closed bucket still gets the vendor's bar of the whole bucket.
    const dropped = window.drops !== (ctx.drops?.() ?? window.drops);
    const inMemory =
      !dropped &&
      ctx.aggregator.correct(contract.id, tf.unit, tf.value, bucket.time, (bar) => {
        bar.high = Math.max(bar.high, vendor.high);
        bar.low = Math.min(bar.low, vendor.low);
        bar.volume = Math.max(0, bar.volume + vendor.volume - window.volume);
        if (startsHere) bar.open = vendor.open;
        if (bar.lastTradeTime < window.to) bar.close = vendor.close;
      });
    if (!inMemory && bucket.to <= ctx.nowMs()) {
      // The bucket closed here: its live bar (without the trades missed before the connect) may be
      // stored, or still on its way (a flush failing while the database restarts). A correction of
      // the stored row would be overwritten by that write; the vendor's bar of the whole bucket,
      // stored closed, wins whichever comes first (a live write never replaces a closed row).
      while (ctx.nowMs() < bucket.to + ctx.vendorFinalAfterMs) {
        if (ctx.signal?.aborted) return corrected;
        await sleep(FINAL_POLL_MS, ctx.signal);
      }
      const bar = await vendorBucketBar(provider, contract.id, ctx.calendar, tf, bucket);
      if (bar && (await writeHistoryBars(ctx.pool, [bar], ctx.claim)) > 0) {
        ctx.logger?.info(
          { contract: contract.id, timeframe: `${tf.unit}|${tf.value}`, time: new Date(bucket.time).toISOString(), volume: bar.volume },
          'connect-minute repair: closed bar replaced by the vendor bar of its bucket',
        );
      }
    } else if (!inMemory && !dropped) {
      // Not open here and not ended: dropped with the feed; the next backfill rebuilds it.
      await fixStoredBar(
        ctx.pool,
        { contractId: contract.id, unit: tf.unit, value: tf.value, time: bucket.time },
        {
          open: startsHere ? vendor.open : undefined,
          high: vendor.high,
          low: vendor.low,
          volumeDelta: vendor.volume - window.volume,
        },
        asFormingBar(contract.id, tf, bucket.time, vendor),
        ctx.claim,
      );
    }
    done.add(doneKey);
    corrected++;
  }
  return corrected;
}

function asFormingBar(contractId: string, tf: Timeframe, time: number, v: OhlcBar) {
  return {
    contractId,
    unit: tf.unit,
    value: tf.value,
    time,
    open: v.open,
    high: v.high,
    low: v.low,
    close: v.close,
    volume: v.volume,
    isClosed: false,
  };
}
