// The chart's candles in time order, and how a bar message, a trade or a fetched run changes them.
// Pure: it decides what the series must do; the caller does it.
import type { UTCTimestamp } from 'lightweight-charts';
import { type Candle, mergeCandles, sameCandle } from './candle-merge.ts';

export type { Candle } from './candle-merge.ts';

/**
 * What the chart must do after a bar message:
 * - `update`: the candle is at or after the last one; a series update draws it.
 * - `repaint`: it replaced a known candle before the last one. lightweight-charts' update must not
 *   be given an older bar, so the caller redraws from `all()` (coalesced).
 * - `missing`: it is older than the last and not on the chart; the caller refetches from its time.
 * - `none`: it changed nothing.
 */
export type BarChange = { readonly kind: 'update'; readonly candle: Candle } | { readonly kind: 'repaint' | 'missing' | 'none' };

export class CandleStore {
  private candles: readonly Candle[] = [];
  /** time → position in `candles`. */
  private readonly positions = new Map<number, number>();
  /**
   * Times whose volume came from a stored bar. Trades add volume only to candles without one: a bar
   * message already counts the trades of its flush, whose tick message follows it.
   */
  private readonly fromBars = new Set<number>();
  /** Stored bars taken by replaceAll whose index (`positions`, `fromBars`) is not built yet: it is
   * built when a message, a trade or a merge first needs it, not between the answer and the first
   * paint. */
  private unindexed = false;
  /** The last candle's time when it is a stored bar the ingester closed: a late trade (the ingester
   * stores its tick and keeps the closed bar as written) must not move it on the chart either. Only
   * the last candle takes trades, so only its closedness is kept. */
  private closedLast: number | undefined;

  get count(): number {
    return this.candles.length;
  }

  get first(): Candle | undefined {
    return this.candles[0];
  }

  get last(): Candle | undefined {
    return this.candles[this.candles.length - 1];
  }

  all(): readonly Candle[] {
    return this.candles;
  }

  /** Replaces everything with stored bars; input in any order, a later duplicate time wins.
   * `lastClosed`: the newest of them is closed (/api/ohlc's `is_closed`). */
  replaceAll(candles: readonly Candle[], lastClosed = false): readonly Candle[] {
    this.fromBars.clear();
    this.closedLast = lastClosed ? newestTime(candles) : undefined;
    // What /api/ohlc answers (ascending, unique) is taken as it is: no map, sort and copy of 10,000
    // candles between the answer and the first paint.
    if (strictlyAscending(candles)) {
      this.positions.clear();
      this.candles = candles.slice();
      this.unindexed = true;
      return this.candles;
    }
    this.unindexed = false;
    const byTime = new Map<number, Candle>();
    for (const c of candles) byTime.set(c.time, c);
    this.reindex(
      [...byTime.values()].sort((a, b) => a.time - b.time),
      byTime.keys(),
    );
    return this.candles;
  }

  /** Merges stored bars fetched for a span (see mergeCandles); returns where the chart changed.
   * `lastClosed`: the newest fetched bar is closed. */
  merge(fetched: readonly Candle[], coverFrom?: number, lastClosed = false): number | undefined {
    this.index();
    // The fetched bars reach the last candle (or past it): their newest's closedness is the last's now.
    const newest = newestTime(fetched);
    if (newest !== undefined && newest >= (this.last?.time ?? newest)) this.closedLast = lastClosed ? newest : undefined;
    const result = mergeCandles(this.candles, fetched, coverFrom);
    if (result.changedFrom !== undefined)
      this.reindex(
        result.candles,
        fetched.map((c) => c.time),
      );
    else for (const c of fetched) this.fromBars.add(c.time);
    return result.changedFrom;
  }

  /** A stored bar; `closed`: the ingester closed it. */
  applyBar(candle: Candle, closed = false): BarChange {
    this.index();
    const last = this.last;
    if (!last || candle.time >= last.time) this.closedLast = closed ? candle.time : undefined;
    if (!last || candle.time > last.time) {
      this.append(candle);
      this.fromBars.add(candle.time);
      return { kind: 'update', candle };
    }
    const at = this.positions.get(candle.time);
    if (at === undefined) return { kind: 'missing' };
    this.fromBars.add(candle.time);
    if (sameCandle(this.candles[at] as Candle, candle)) return { kind: 'none' };
    this.replaceAt(at, candle);
    return at === this.candles.length - 1 ? { kind: 'update', candle } : { kind: 'repaint' };
  }

  /**
   * A trade at `price` in the bucket opening at `bucketTime`: moves the forming candle, or opens
   * a provisional one for a later bucket (the ingester's bar replaces it when it arrives).
   * Trades older than the last candle change nothing, nor do trades in it once it is a closed bar.
   */
  applyTrade(bucketTime: UTCTimestamp, price: number, volume: number): Candle | undefined {
    this.index();
    const last = this.last;
    if (last && (bucketTime < last.time || (bucketTime === last.time && this.closedLast === last.time))) return undefined;
    if (last && bucketTime === last.time) {
      const moved: Candle = {
        time: last.time,
        open: last.open,
        close: price,
        high: Math.max(last.high, price),
        low: Math.min(last.low, price),
        volume: this.fromBars.has(last.time) ? last.volume : last.volume + volume,
      };
      this.replaceAt(this.candles.length - 1, moved);
      return moved;
    }
    const opened: Candle = { time: bucketTime, open: price, high: price, low: price, close: price, volume };
    this.append(opened);
    return opened;
  }

  /** Builds the index of candles replaceAll took (all of them stored bars). */
  private index(): void {
    if (!this.unindexed) return;
    this.unindexed = false;
    this.reindex(
      this.candles,
      this.candles.map((c) => c.time),
    );
  }

  private reindex(candles: readonly Candle[], storedTimes: Iterable<number>): void {
    this.candles = candles;
    this.positions.clear();
    candles.forEach((c, i) => this.positions.set(c.time, i));
    for (const t of storedTimes) this.fromBars.add(t);
    for (const t of this.fromBars) if (!this.positions.has(t)) this.fromBars.delete(t);
  }

  private append(candle: Candle): void {
    this.positions.set(candle.time, this.candles.length);
    (this.candles as Candle[]).push(candle);
  }

  private replaceAt(index: number, candle: Candle): void {
    (this.candles as Candle[])[index] = candle;
  }
}

function strictlyAscending(candles: readonly Candle[]): boolean {
  for (let i = 1; i < candles.length; i++) if ((candles[i] as Candle).time <= (candles[i - 1] as Candle).time) return false;
  return true;
}

function newestTime(candles: readonly Candle[]): UTCTimestamp | undefined {
  let newest: UTCTimestamp | undefined;
  for (const c of candles) if (newest === undefined || c.time > newest) newest = c.time;
  return newest;
}
