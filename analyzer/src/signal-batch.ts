// The signals a pass computed and has yet to store, as columns: numbers in Float64Arrays, each signal's
// stored details already serialised. A backfill page's signals wait for the previous page's write, long
// enough to outlive the young generation; as objects (a signal, its bar, the details and a dozen boxed
// numbers each) the garbage collector copied and marked 100,000s of them. Here a signal is one string.
import type { StrategySignal } from '@barstream/core';
import { isoTime } from './iso-time.ts';

const INITIAL_CAPACITY = 64;

export class SignalBatch {
  length = 0;
  /** The bar each signal is about. */
  time: Float64Array = new Float64Array(INITIAL_CAPACITY);
  open: Float64Array = new Float64Array(INITIAL_CAPACITY);
  high: Float64Array = new Float64Array(INITIAL_CAPACITY);
  low: Float64Array = new Float64Array(INITIAL_CAPACITY);
  close: Float64Array = new Float64Array(INITIAL_CAPACITY);
  volume: Float64Array = new Float64Array(INITIAL_CAPACITY);
  price: Float64Array = new Float64Array(INITIAL_CAPACITY);
  readonly types: string[] = [];
  /** detected_signals.details as JSON text (signalDetails). */
  readonly details: string[] = [];

  /** A signal of the bar closed at `triggerTime` (the time a re-run rewinds by). */
  add(s: StrategySignal, triggerTime: number): void {
    const i = this.length;
    if (i === this.time.length) this.grow();
    const b = s.bar;
    this.time[i] = b.time;
    this.open[i] = b.open;
    this.high[i] = b.high;
    this.low[i] = b.low;
    this.close[i] = b.close;
    this.volume[i] = b.volume;
    this.price[i] = s.price;
    this.types.push(s.type);
    this.details.push(signalDetails(s.details, triggerTime));
    this.length = i + 1;
  }

  /** The signals at `indices`, in that order. */
  select(indices: readonly number[]): SignalBatch {
    const out = new SignalBatch();
    for (const i of indices) out.copyFrom(this, i);
    return out;
  }

  private copyFrom(from: SignalBatch, i: number): void {
    const j = this.length;
    if (j === this.time.length) this.grow();
    this.time[j] = from.time[i] as number;
    this.open[j] = from.open[i] as number;
    this.high[j] = from.high[i] as number;
    this.low[j] = from.low[i] as number;
    this.close[j] = from.close[i] as number;
    this.volume[j] = from.volume[i] as number;
    this.price[j] = from.price[i] as number;
    this.types.push(from.types[i] as string);
    this.details.push(from.details[i] as string);
    this.length = j + 1;
  }

  private grow(): void {
    const grown = (c: Float64Array): Float64Array => {
      const g = new Float64Array(c.length * 2);
      g.set(c);
      return g;
    };
    this.time = grown(this.time);
    this.open = grown(this.open);
    this.high = grown(this.high);
    this.low = grown(this.low);
    this.close = grown(this.close);
    this.volume = grown(this.volume);
    this.price = grown(this.price);
  }
}

/** The stored details: the strategy's, plus the trigger time the runner rewinds by (replacing a strategy's
 * own). One JSON.stringify of a copy, not the strategy's JSON with text appended: the result is one flat
 * string, where a concatenation is a chain of string pieces that every scavenge until its write copies. */
export function signalDetails(details: StrategySignal['details'], triggerTime: number): string {
  return JSON.stringify({ ...details, trigger_time: isoTime(triggerTime) });
}
