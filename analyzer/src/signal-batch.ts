// The signals a pass computed and has yet to store, as columns: the bars they are about as BarColumns,
// each signal's price in a number array (doubles unboxed) and its stored details already serialised. A
// backfill's signals wait for the previous write, long enough to outlive the young generation; as objects
// (a signal, its bar, the details and a dozen boxed numbers each) the garbage collector copied and marked
// 100,000s of them. Here a signal is one string.
import { type BarColumns, BarColumnsBuilder, type StrategySignal } from '@barstream/core';
import { isoTime } from './iso-time.ts';

const NO_BARS = new BarColumnsBuilder().finish();

export class SignalBatch {
  /** Made with the first signal: a live pass makes a batch per bar and most stay empty. */
  private builder: BarColumnsBuilder | undefined;
  private finished: BarColumns | undefined;
  /** The price of each signal (NaN or not a number: none). */
  readonly price: number[] = [];
  readonly types: string[] = [];
  /** detected_signals.details as JSON text (signalDetails). */
  readonly details: string[] = [];

  get length(): number {
    return this.types.length;
  }

  /** The bar each signal is about, as columns of `length` (a new view after each add). */
  get bars(): BarColumns {
    return (this.finished ??= this.builder?.finish() ?? NO_BARS);
  }

  /** A signal of the bar closed at `triggerTime` (the time a re-run rewinds by). */
  add(s: StrategySignal, triggerTime: number): void {
    const b = s.bar;
    this.push(b.time, b.open, b.high, b.low, b.close, b.volume, s.price, s.type, signalDetails(s.details, triggerTime));
  }

  /** The signals at `indices`, in that order. */
  select(indices: readonly number[]): SignalBatch {
    const out = new SignalBatch();
    const { time, open, high, low, close, volume } = this.bars;
    for (const i of indices) {
      out.push(
        time[i] as number,
        open[i] as number,
        high[i] as number,
        low[i] as number,
        close[i] as number,
        volume[i] as number,
        this.price[i] as number,
        this.types[i] as string,
        this.details[i] as string,
      );
    }
    return out;
  }

  private push(
    time: number,
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
    price: number,
    type: string,
    details: string,
  ): void {
    (this.builder ??= new BarColumnsBuilder()).add(time, open, high, low, close, volume);
    this.finished = undefined;
    this.price.push(price);
    this.types.push(type);
    this.details.push(details);
  }
}

/** The stored details: the strategy's, plus the trigger time the runner rewinds by (replacing a strategy's
 * own). A plain object without one (every strategy's) is stringified as it is and the time written into
 * its closing brace: the same text as `JSON.stringify({ ...details, trigger_time })` without copying the
 * object first, joined into one flat string (a concatenation is a chain of pieces that every scavenge
 * until the write copies): a third of the CPU for a backfill's signals (docs/BENCHMARKS.md, an2). */
export function signalDetails(details: StrategySignal['details'], triggerTime: number): string {
  const time = isoTime(triggerTime);
  if (Object.getPrototypeOf(details) === Object.prototype && !('trigger_time' in details) && !('toJSON' in details)) {
    const json = JSON.stringify(details);
    return json === '{}' ? `{"trigger_time":"${time}"}` : [json.slice(0, -1), ',"trigger_time":"', time, '"}'].join('');
  }
  return JSON.stringify({ ...details, trigger_time: time });
}
