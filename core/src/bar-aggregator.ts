// Bar aggregation: one pass per trade updates the forming bar of every timeframe; bars close on time.
import { ClosedStretches } from './closed-stretches.ts';
import type { ContractBar } from './schemas/bar-message.ts';
import type { Trade } from './schemas/tick.ts';
import type { Bucket, SessionCalendar } from './session-calendar.ts';
import { compareTimeframes, fixedLengthMs, type Timeframe } from './timeframe.ts';

export interface BarAggregatorOptions {
  readonly timeframes: readonly Timeframe[];
  readonly calendarFor: (contractId: string) => SessionCalendar;
  /** A bar closes at its bucket end plus this grace; trades within the grace still count. */
  readonly graceMs: number;
}

interface OpenBar {
  readonly bucket: Bucket;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** Time of the last trade added live (seeded and merged history does not count). */
  lastTradeTime: number;
  dirty: boolean;
  closed: boolean;
}

/** The mutable prices of an open bar, for corrections after a history repair. */
export interface OpenBarFields {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  readonly lastTradeTime: number;
  readonly from: number;
  readonly to: number;
}

/** Open bars of one contract: per timeframe (shortest first), oldest first (usually one or two). */
type ContractState = OpenBar[][];

export type TradeOutcome = 'accepted' | 'late';

export class BarAggregator {
  private readonly timeframes: readonly Timeframe[];
  private readonly contracts = new Map<string, ContractState>();
  private readonly changed = new Map<string, [string, number, OpenBar]>();
  private readonly closed: ClosedStretches;

  constructor(private readonly options: BarAggregatorOptions) {
    if (options.timeframes.length === 0) throw new Error('BarAggregator needs at least one timeframe');
    this.timeframes = [...options.timeframes].sort(compareTimeframes);
    this.closed = new ClosedStretches(this.timeframes.length);
  }

  get timeframeList(): readonly Timeframe[] {
    return this.timeframes;
  }

  /** Adds a trade to every timeframe, or reports it late when its shortest bucket has closed. */
  addTrade(trade: Trade, nowMs: number): TradeOutcome {
    const state = this.stateOf(trade.contractId);
    const shortest = this.findOrCreate(trade.contractId, state, 0, trade.time, nowMs);
    if (!shortest) return 'late';
    for (let i = 0; i < this.timeframes.length; i++) {
      const bar = i === 0 ? shortest : this.findOrCreate(trade.contractId, state, i, trade.time, nowMs);
      if (!bar) continue; // cannot happen for nested buckets; kept total rather than throwing
      if (trade.price > bar.high) bar.high = trade.price;
      if (trade.price < bar.low) bar.low = trade.price;
      bar.close = trade.price;
      bar.volume += trade.volume;
      if (trade.time > bar.lastTradeTime) bar.lastTradeTime = trade.time;
      this.markChanged(trade.contractId, i, bar);
    }
    return 'accepted';
  }

  /** Closes every bar whose bucket ended at least the grace before `nowMs`. */
  advance(nowMs: number): void {
    for (const [contractId, state] of this.contracts) {
      state.forEach((bars, i) => {
        for (const bar of bars) {
          if (!bar.closed && bar.bucket.to + this.options.graceMs <= nowMs) {
            bar.closed = true;
            this.markChanged(contractId, i, bar);
          }
        }
      });
    }
  }

  /** Bars changed since the last drain (forming and newly closed); closed ones are then forgotten.
   * With `includeForming` false only closed bars are taken: forming ones stay pending, so callers
   * can write closes at once but throttle forming updates. */
  drain(includeForming = true): ContractBar[] {
    const out: ContractBar[] = [];
    for (const [key, [contractId, i, bar]] of this.changed) {
      if (!includeForming && !bar.closed) continue;
      bar.dirty = false;
      out.push(this.toContractBar(contractId, i, bar));
      this.changed.delete(key);
    }
    for (const state of this.contracts.values()) {
      state.forEach((bars, i) => {
        if (bars.some((b) => b.closed && !b.dirty)) state[i] = bars.filter((b) => !(b.closed && !b.dirty));
      });
    }
    return out;
  }

  /** Restores a forming bar read back from storage after a restart, so its trades are not lost. */
  seed(bar: ContractBar): void {
    const i = this.timeframeIndex(bar.unit, bar.value);
    if (i < 0 || bar.isClosed) return;
    const state = this.stateOf(bar.contractId);
    const bucket = this.bucketOfLabel(bar, i);
    const bars = state[i] as OpenBar[];
    if (bars.some((b) => b.bucket.time === bucket.time)) return;
    bars.push({
      bucket,
      open: bar.open,
      high: bar.high,
      low: bar.low,
      close: bar.close,
      volume: bar.volume,
      lastTradeTime: -Infinity,
      dirty: false,
      closed: false,
    });
    bars.sort((a, b) => a.bucket.from - b.bucket.from);
  }

  /** Adds history covering an earlier, disjoint part of a bucket (backfill after a reconnect):
   * its open wins, extremes combine, volumes add; the close stays live unless nothing live came.
   * Returns false when that bucket is no longer open here (the caller merges into storage). */
  mergeEarlier(bar: ContractBar, nowMs: number): boolean {
    const i = this.timeframeIndex(bar.unit, bar.value);
    if (i < 0) return false;
    const state = this.stateOf(bar.contractId);
    const open = this.findOrCreate(bar.contractId, state, i, this.bucketFromOf(bar, i), nowMs);
    if (!open) return false;
    const hadLive = !Number.isNaN(open.open);
    open.open = bar.open;
    open.high = Math.max(open.high, bar.high);
    open.low = Math.min(open.low, bar.low);
    if (!hadLive) open.close = bar.close;
    open.volume += bar.volume;
    this.markChanged(bar.contractId, i, open);
    return true;
  }

  /** Forgets the forming (not yet closed) bars of these timeframes, e.g. when a feed drops and
   * history will rebuild those buckets from their start. Closed bars not yet drained are kept. */
  discardForming(timeframes: readonly Timeframe[]): void {
    const indexes = timeframes.map((tf) => this.timeframeIndex(tf.unit, tf.value)).filter((i) => i >= 0);
    for (const [contractId, state] of this.contracts) {
      for (const i of indexes) {
        const bars = state[i] as OpenBar[];
        for (const bar of bars) if (!bar.closed) this.changed.delete(`${contractId}|${i}|${bar.bucket.time}`);
        state[i] = bars.filter((b) => b.closed);
      }
    }
  }

  /** Forgets everything of one contract (its lease went to another instance, which resumes it from
   * storage): bars left here would be stale when the contract comes back. Drain first to keep them. */
  forgetContract(contractId: string): void {
    this.contracts.delete(contractId);
    for (const key of [...this.changed.keys()]) if (key.startsWith(`${contractId}|`)) this.changed.delete(key);
  }

  /** Applies `fix` to the open bar of that bucket; false when it is not open here. */
  correct(contractId: string, unit: number, value: number, time: number, fix: (bar: OpenBarFields) => void): boolean {
    const i = this.timeframeIndex(unit, value);
    const bars = this.contracts.get(contractId)?.[i];
    const bar = bars?.find((b) => b.bucket.time === time && !b.closed);
    if (!bar) return false;
    const view: OpenBarFields = {
      open: bar.open,
      high: bar.high,
      low: bar.low,
      close: bar.close,
      volume: bar.volume,
      lastTradeTime: bar.lastTradeTime,
      from: bar.bucket.from,
      to: bar.bucket.to,
    };
    fix(view);
    Object.assign(bar, { open: view.open, high: view.high, low: view.low, close: view.close, volume: view.volume });
    this.markChanged(contractId, i, bar);
    return true;
  }

  private timeframeIndex(unit: number, value: number): number {
    return this.timeframes.findIndex((tf) => tf.unit === unit && tf.value === value);
  }

  /** A point inside the bucket a bar label names (a daily label lies inside its session). */
  private bucketFromOf(bar: ContractBar, i: number): number {
    return this.bucketOfLabel(bar, i).from;
  }

  /** The bucket a bar's label names. Intraday labels are the bucket's start; daily and longer ones
   * are a trade date at 00:00 UTC, which west of UTC lies in the previous session (New York opens
   * 5 March at 14:30 UTC: 00:00 UTC that day is still the 4th), so the date's session open is used. */
  private bucketOfLabel(bar: ContractBar, i: number): Bucket {
    const tf = this.timeframes[i] as Timeframe;
    const calendar = this.options.calendarFor(bar.contractId);
    return calendar.bucket(fixedLengthMs(tf) === undefined ? calendar.sessionOpen(bar.time) : bar.time, tf);
  }

  /** Forming bars of every contract, e.g. to write them on shutdown. */
  formingBars(): ContractBar[] {
    const out: ContractBar[] = [];
    for (const [contractId, state] of this.contracts) {
      state.forEach((bars, i) =>
        bars.forEach((b) => {
          if (!b.closed) out.push(this.toContractBar(contractId, i, b));
        }),
      );
    }
    return out;
  }

  private stateOf(contractId: string): ContractState {
    let state = this.contracts.get(contractId);
    if (!state) {
      state = this.timeframes.map(() => []);
      this.contracts.set(contractId, state);
    }
    return state;
  }

  private findOrCreate(contractId: string, state: ContractState, i: number, time: number, nowMs: number): OpenBar | undefined {
    const bars = state[i] as OpenBar[];
    for (let k = bars.length - 1; k >= 0; k--) {
      const bar = bars[k] as OpenBar;
      if (time >= bar.bucket.from && time < bar.bucket.to) return bar.closed ? undefined : bar;
      if (time >= bar.bucket.to) break;
    }
    const calendar = this.options.calendarFor(contractId);
    if (this.closed.has(calendar, i, time)) return undefined;
    const bucket = calendar.bucket(time, this.timeframes[i] as Timeframe);
    // Outside its exchange's hours a trade has no daily bar (a stock's after-hours trade is not in
    // its 09:30–16:00 bar); it still counts in the intraday ones.
    if (time < bucket.from || time >= bucket.to) {
      this.closed.remember(calendar, i, time);
      return undefined;
    }
    if (bucket.to + this.options.graceMs <= nowMs) return undefined;
    const bar: OpenBar = {
      bucket,
      open: NaN,
      high: -Infinity,
      low: Infinity,
      close: NaN,
      volume: 0,
      lastTradeTime: -Infinity,
      dirty: false,
      closed: false,
    };
    bars.push(bar);
    if (bars.length > 1 && (bars[bars.length - 2] as OpenBar).bucket.from > bucket.from) {
      bars.sort((a, b) => a.bucket.from - b.bucket.from);
    }
    return bar;
  }

  private markChanged(contractId: string, i: number, bar: OpenBar): void {
    if (Number.isNaN(bar.open)) bar.open = bar.close;
    if (bar.dirty) return;
    bar.dirty = true;
    this.changed.set(`${contractId}|${i}|${bar.bucket.time}`, [contractId, i, bar]);
  }

  private toContractBar(contractId: string, i: number, bar: OpenBar): ContractBar {
    const tf = this.timeframes[i] as Timeframe;
    return {
      contractId,
      unit: tf.unit,
      value: tf.value,
      time: bar.bucket.time,
      open: bar.open,
      high: bar.high,
      low: bar.low,
      close: bar.close,
      volume: bar.volume,
      isClosed: bar.closed,
    };
  }
}
