// The chart's candles in time order, and how a bar update or a trade changes them. Pure: it
// decides what the series must do; the caller does it.
import type { UTCTimestamp } from 'lightweight-charts';

export interface Candle {
  /** Bar open time, epoch seconds UTC (what lightweight-charts wants). */
  readonly time: UTCTimestamp;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/**
 * What the series must do after a bar arrives. `historical`: the candle replaces one before the
 * last, which lightweight-charts allows only with its historical-update flag. `reload`: the bar
 * is older than the last and not on the chart, which no series update can insert.
 */
export type BarChange =
  | { readonly kind: 'update'; readonly candle: Candle; readonly historical: boolean }
  | { readonly kind: 'reload' };

export class CandleStore {
  private candles: Candle[] = [];
  /** time → position in `candles`. */
  private readonly positions = new Map<number, number>();

  get count(): number {
    return this.candles.length;
  }

  get last(): Candle | undefined {
    return this.candles[this.candles.length - 1];
  }

  all(): readonly Candle[] {
    return this.candles;
  }

  /** Replaces everything; input in any order, a later duplicate time wins. */
  replaceAll(candles: readonly Candle[]): readonly Candle[] {
    const byTime = new Map<number, Candle>();
    for (const c of candles) byTime.set(c.time, c);
    this.candles = [...byTime.values()].sort((a, b) => a.time - b.time);
    this.positions.clear();
    this.candles.forEach((c, i) => this.positions.set(c.time, i));
    return this.candles;
  }

  applyBar(candle: Candle): BarChange {
    const last = this.last;
    if (!last || candle.time > last.time) {
      this.append(candle);
      return { kind: 'update', candle, historical: false };
    }
    const at = this.positions.get(candle.time);
    if (at === undefined) return { kind: 'reload' };
    this.candles[at] = candle;
    return { kind: 'update', candle, historical: at < this.candles.length - 1 };
  }

  /**
   * A trade at `price` in the bucket opening at `bucketTime`: moves the forming candle, or opens
   * a provisional one for a later bucket (the ingester's bar replaces it when it arrives).
   * Trades older than the last candle change nothing.
   */
  applyTrade(bucketTime: UTCTimestamp, price: number): Candle | undefined {
    const last = this.last;
    if (last && bucketTime < last.time) return undefined;
    if (last && bucketTime === last.time) {
      const moved: Candle = {
        time: last.time, open: last.open, close: price,
        high: Math.max(last.high, price), low: Math.min(last.low, price),
      };
      this.candles[this.candles.length - 1] = moved;
      return moved;
    }
    const opened: Candle = { time: bucketTime, open: price, high: price, low: price, close: price };
    this.append(opened);
    return opened;
  }

  private append(candle: Candle): void {
    this.positions.set(candle.time, this.candles.length);
    this.candles.push(candle);
  }
}
