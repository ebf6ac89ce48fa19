// The signals a pass computed and has yet to store, as columns: the bars they are about as BarColumns,
// each signal's price in a number array (doubles unboxed) and its stored details as UTF-8 JSON in one
// buffer. A backfill's signals wait for the previous write, long enough to outlive the young generation;
// as objects (a signal, its bar, the details and a dozen boxed numbers each) the garbage collector copied
// and marked 100,000s of them, and as one string each it still promoted ~40 MB of details a backfill.
import { type BarColumns, BarColumnsBuilder, type StrategySignal } from '@barstream/core';
import { isoTime, MAX_ISO_TIME_BYTES, writeIsoTime } from './iso-time.ts';
import { Utf8TextColumn } from './utf8-text-column.ts';

const NO_BARS = new BarColumnsBuilder().finish();
const TRIGGER_TIME_KEY = Buffer.from(',"trigger_time":"');
const TRIGGER_TIME_ONLY = Buffer.from('{"trigger_time":"');

export class SignalBatch {
  /** Made with the first signal: a live pass makes a batch per bar and most stay empty. */
  private builder: BarColumnsBuilder | undefined;
  private finished: BarColumns | undefined;
  private detailsColumn: Utf8TextColumn | undefined;
  /** The price of each signal (NaN or not a number: none). */
  readonly price: number[] = [];
  readonly types: string[] = [];

  get length(): number {
    return this.types.length;
  }

  /** The bar each signal is about, as columns of `length` (a new view after each add). */
  get bars(): BarColumns {
    return (this.finished ??= this.builder?.finish() ?? NO_BARS);
  }

  /** detected_signals.details of each signal as UTF-8 JSON text (signalDetails). */
  get detailBytes(): Utf8TextColumn {
    return (this.detailsColumn ??= new Utf8TextColumn());
  }

  /** detected_signals.details of each signal as JSON text (signalDetails). */
  get details(): string[] {
    return this.detailBytes.texts();
  }

  /** A signal of the bar closed at `triggerTime` (the time a re-run rewinds by). */
  add(s: StrategySignal, triggerTime: number): void {
    const b = s.bar;
    this.push(b.time, b.open, b.high, b.low, b.close, b.volume, s.price, s.type);
    writeSignalDetails(this.detailBytes, s.details, triggerTime);
  }

  /** Empties the batch for reuse, keeping its memory (a written batch: what was read from it before is
   * overwritten). A backfill's batches each grew their columns and details buffer from small, a few MB
   * of ArrayBuffers per write: enough external memory to start a major collection every few writes. */
  clear(): this {
    this.builder?.clear();
    this.finished = undefined;
    this.detailsColumn?.clear();
    this.price.length = 0;
    this.types.length = 0;
    return this;
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
      );
      out.detailBytes.appendEntry(this.detailBytes, i);
    }
    return out;
  }

  private push(time: number, open: number, high: number, low: number, close: number, volume: number, price: number, type: string): void {
    (this.builder ??= new BarColumnsBuilder()).add(time, open, high, low, close, volume);
    this.finished = undefined;
    this.price.push(price);
    this.types.push(type);
  }
}

/** The stored details: the strategy's, plus the trigger time the runner rewinds by (replacing a strategy's
 * own), as JSON text. */
export function signalDetails(details: StrategySignal['details'], triggerTime: number): string {
  const column = new Utf8TextColumn(64);
  writeSignalDetails(column, details, triggerTime);
  return column.text(0);
}

/** signalDetails written as an entry of `column`. A plain object without a trigger time of its own or a
 * toJSON (every strategy's) is stringified as it is and the time written into its closing brace: the
 * same text as `JSON.stringify({ ...details, trigger_time })` without copying the object, and the time
 * written as bytes (no string per signal but the stringified details, which die young). */
function writeSignalDetails(column: Utf8TextColumn, details: StrategySignal['details'], triggerTime: number): void {
  if (Object.getPrototypeOf(details) === Object.prototype && !('trigger_time' in details) && !('toJSON' in details)) {
    const json = JSON.stringify(details);
    if (json === '{}') column.writeBytes(TRIGGER_TIME_ONLY);
    else {
      column.write(json);
      column.unwrite(1); // its closing brace
      column.writeBytes(TRIGGER_TIME_KEY);
    }
    let at = column.reserve(MAX_ISO_TIME_BYTES + 2);
    const buf = column.bytes; // after reserve, which may move them
    at = writeIsoTime(buf, at, triggerTime);
    buf[at] = 0x22; // "
    buf[at + 1] = 0x7d; // }
    column.advanceTo(at + 2);
  } else {
    column.write(JSON.stringify({ ...details, trigger_time: isoTime(triggerTime) }));
  }
  column.finishEntry();
}
