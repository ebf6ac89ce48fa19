// Reads bars with `COPY (query) TO STDOUT (FORMAT binary)`: the fastest way to get many bars into
// Node. The query's columns are ("timestamp" timestamptz, open, high, low, close, volume float8),
// plus, with `withClosed`, is_closed as a float8 0/1 (binary COPY of a bool is one byte wide).
// Rows are parsed as the chunks arrive, straight into bar objects or columns: no concatenated copy of
// the output, and a row split between two chunks goes through one small reused buffer. Each reader
// decodes its rows in its own loop (no callback per row): a backtest's first read of a million bars
// runs optimised code after a few chunks instead of a closure V8 has seen called many ways.
import type pg from 'pg';
import type { OhlcBar } from '../bar.ts';
import { BarColumns } from '../bar-columns.ts';
import { type CopyOutConsumer, copyOut } from './copy-out-messages.ts';
import { COPY_BINARY_HEADER_BYTES, COPY_BINARY_TRAILER, PG_EPOCH_MS } from './pg-binary-format.ts';

/** A stored bar; `isClosed` only with `withClosed`. */
export interface CopiedBar extends OhlcBar {
  readonly isClosed?: boolean;
}

const TWO_32 = 4_294_967_296;
/** Columns start this long when the caller cannot say how many bars to expect. */
const INITIAL_BARS = 1024;
/** An expected count is trusted up to this many bars (beyond it the columns grow as they fill). */
const MAX_PRESIZED_BARS = 1 << 22;

export async function copyBarsBinary(client: pg.ClientBase, query: string, options: { withClosed?: boolean } = {}): Promise<CopiedBar[]> {
  const reader = new BarObjectReader(options.withClosed === true);
  await copyRows(client, query, reader);
  return reader.bars;
}

/** The same bars (without is_closed) as columns: no object per bar (a backtest's million bars).
 * `expectedBars`, an upper bound of the count (from the range and the bar length), sizes the columns
 * once: untouched memory past the last bar costs no page and no copy. `into`: columns to fill from their
 * start instead (their length is the room; past it the reader moves to columns of its own). */
export async function copyBarColumnsBinary(
  client: pg.ClientBase,
  query: string,
  expectedBars?: number,
  into?: BarColumns,
): Promise<BarColumns> {
  const reader = new BarColumnReader(expectedBars, into);
  await copyRows(client, query, reader);
  return reader.finish();
}

/** Rows of `fields` 8-byte fields, none NULL, as one column each, sized once for `expectedRows` when
 * given: the first `times` fields timestamptz, as epoch milliseconds with their microseconds as the
 * fraction (the float8 `extract(epoch FROM t) * 1000` gives), the others float8. A backtest's stored
 * signals come this way: no row object, no text to parse. */
export async function copyColumnsBinary(
  client: pg.ClientBase,
  query: string,
  fields: number,
  times: number,
  expectedRows?: number,
): Promise<Float64Array[]> {
  const reader = new ColumnReader(fields, times, expectedRows);
  await copyRows(client, query, reader);
  return reader.finish();
}

/** A column's first length: the expected count when given (trusted up to MAX_PRESIZED_BARS), else INITIAL_BARS. */
function presizedLength(expected: number | undefined): number {
  return expected !== undefined && expected >= 1 ? Math.min(Math.ceil(expected), MAX_PRESIZED_BARS) : INITIAL_BARS;
}

/** A column of `size` holding the first `filled` values of `c`. */
function grownColumn(c: Float64Array, filled: number, size: number): Float64Array {
  const g = new Float64Array(size);
  g.set(c.subarray(0, filled));
  return g;
}

/** Splits a binary COPY output into whole rows of 8-byte fields, whatever the chunk boundaries. */
abstract class RowReader implements CopyOutConsumer {
  readonly fields: number;
  readonly rowBytes: number;
  ended = false;
  private headerLeft = COPY_BINARY_HEADER_BYTES;
  /** A row begun in one chunk and ended in the next. */
  private readonly carry: Buffer;
  private readonly carryView: DataView;
  private carried = 0;

  constructor(fields: number) {
    this.fields = fields;
    this.rowBytes = 2 + fields * (4 + 8);
    this.carry = Buffer.alloc(this.rowBytes);
    this.carryView = new DataView(this.carry.buffer, this.carry.byteOffset, this.carry.byteLength);
  }

  /** Decodes `rows` whole rows at `offset` (checked by `check`). */
  protected abstract decode(view: DataView, offset: number, rows: number): void;

  /** CopyOutConsumer: bytes [offset, end) of `chunk` are the next of the output. */
  data(chunk: Buffer, view: DataView, offset: number, end: number): void {
    if (this.ended) return;
    const skip = Math.min(this.headerLeft, end - offset);
    this.headerLeft -= skip;
    offset += skip;
    if (this.carried > 0 && offset < end) offset = this.completeCarried(chunk, offset, end);
    if (this.carried > 0 || this.ended) return;
    const rowBytes = this.rowBytes;
    let rows = 0;
    while (offset + (rows + 1) * rowBytes <= end && this.check(view, offset + rows * rowBytes)) rows++;
    if (rows > 0) this.decode(view, offset, rows);
    offset += rows * rowBytes;
    if (this.ended || offset >= end) return;
    if (offset + 2 <= end && view.getInt16(offset) === COPY_BINARY_TRAILER) {
      this.ended = true;
      return;
    }
    // The start of a row that the next bytes complete: what has arrived of it is checked now (a row with
    // a NULL is shorter than a whole one, and may be the last).
    this.checkPart(view, offset, end);
    chunk.copy(this.carry, 0, offset, end);
    this.carried = end - offset;
  }

  /** True when the whole row at `offset` is one to decode; false at the trailer; throws on a bad row. */
  private check(view: DataView, offset: number): boolean {
    const fields = view.getInt16(offset);
    if (fields === COPY_BINARY_TRAILER) {
      this.ended = true;
      return false;
    }
    this.checkPart(view, offset, offset + this.rowBytes);
    return true;
  }

  /** Throws when the row at `offset` (not the trailer), of which the bytes before `end` have arrived, has
   * the wrong field count or a field that is NULL or not 8 bytes wide. */
  private checkPart(view: DataView, offset: number, end: number): void {
    if (offset + 2 > end) return;
    const fields = view.getInt16(offset);
    if (fields !== this.fields) throw new Error(`copyBarsBinary: expected ${this.fields} columns, got ${fields}`);
    // Each field is a 4-byte length (8, or -1 for NULL) and its bytes.
    for (let f = 0, o = offset + 2; f < fields && o + 4 <= end; f++, o += 12) {
      if (view.getInt32(o) !== 8) throw new Error(`copyBarsBinary: column ${f} is NULL or not 8 bytes wide`);
    }
  }

  /** Completes the carried row from `chunk` at `offset` (decoding it once whole); returns the offset after
   * what it took. */
  private completeCarried(chunk: Buffer, offset: number, end: number): number {
    // The field count first: the trailer is only 2 bytes.
    if (this.carried < 2) {
      this.carry[1] = chunk[offset] as number;
      this.carried = 2;
      offset++;
    }
    if (this.carryView.getInt16(0) === COPY_BINARY_TRAILER) {
      this.ended = true;
      this.carried = 0;
      return offset;
    }
    const take = Math.min(this.rowBytes - this.carried, end - offset);
    chunk.copy(this.carry, this.carried, offset, offset + take);
    this.carried += take;
    if (this.carried < this.rowBytes) {
      this.checkPart(this.carryView, 0, this.carried);
      return offset + take;
    }
    this.carried = 0;
    if (this.check(this.carryView, 0)) this.decode(this.carryView, 0, 1);
    return offset + take;
  }
}

/** A row's time: microseconds since 2000 as two 32-bit halves (exact for every timestamp PostgreSQL
 * stores), as epoch milliseconds. */
function rowTime(view: DataView, offset: number): number {
  return Math.floor((view.getInt32(offset + 6) * TWO_32 + view.getUint32(offset + 10)) / 1000) + PG_EPOCH_MS;
}

class BarObjectReader extends RowReader {
  readonly bars: CopiedBar[] = [];

  constructor(private readonly withClosed: boolean) {
    super(withClosed ? 7 : 6);
  }

  protected decode(view: DataView, offset: number, rows: number): void {
    const bars = this.bars;
    for (let r = 0, o = offset; r < rows; r++, o += this.rowBytes) {
      const time = rowTime(view, o);
      const open = view.getFloat64(o + 18);
      const high = view.getFloat64(o + 30);
      const low = view.getFloat64(o + 42);
      const close = view.getFloat64(o + 54);
      const volume = view.getFloat64(o + 66);
      bars.push(
        this.withClosed
          ? { time, open, high, low, close, volume, isClosed: view.getFloat64(o + 78) !== 0 }
          : { time, open, high, low, close, volume },
      );
    }
  }
}

class BarColumnReader extends RowReader {
  private time: Float64Array;
  private open: Float64Array;
  private high: Float64Array;
  private low: Float64Array;
  private close: Float64Array;
  private volume: Float64Array;
  private n = 0;

  constructor(expectedBars: number | undefined, into: BarColumns | undefined) {
    super(6);
    if (into !== undefined && into.length > 0) {
      ({ time: this.time, open: this.open, high: this.high, low: this.low, close: this.close, volume: this.volume } = into);
      return;
    }
    const size = presizedLength(expectedBars);
    this.time = new Float64Array(size);
    this.open = new Float64Array(size);
    this.high = new Float64Array(size);
    this.low = new Float64Array(size);
    this.close = new Float64Array(size);
    this.volume = new Float64Array(size);
  }

  protected decode(view: DataView, offset: number, rows: number): void {
    if (this.n + rows > this.time.length) this.grow(this.n + rows);
    const { time, open, high, low, close, volume, rowBytes } = this;
    for (let i = this.n, end = this.n + rows, o = offset; i < end; i++, o += rowBytes) {
      time[i] = rowTime(view, o);
      open[i] = view.getFloat64(o + 18);
      high[i] = view.getFloat64(o + 30);
      low[i] = view.getFloat64(o + 42);
      close[i] = view.getFloat64(o + 54);
      volume[i] = view.getFloat64(o + 66);
    }
    this.n += rows;
  }

  finish(): BarColumns {
    const n = this.n;
    return new BarColumns(
      this.time.subarray(0, n),
      this.open.subarray(0, n),
      this.high.subarray(0, n),
      this.low.subarray(0, n),
      this.close.subarray(0, n),
      this.volume.subarray(0, n),
    );
  }

  private grow(least: number): void {
    const size = Math.max(least, this.time.length * 2);
    const grown = (c: Float64Array): Float64Array => grownColumn(c, this.n, size);
    this.time = grown(this.time);
    this.open = grown(this.open);
    this.high = grown(this.high);
    this.low = grown(this.low);
    this.close = grown(this.close);
    this.volume = grown(this.volume);
  }
}

/** PG_EPOCH_MS in microseconds (an exact double, as are the sums below it with a stored time's µs). */
const PG_EPOCH_US = PG_EPOCH_MS * 1000;

class ColumnReader extends RowReader {
  private columns: Float64Array[];
  private n = 0;

  constructor(
    fields: number,
    private readonly times: number,
    expectedRows: number | undefined,
  ) {
    super(fields);
    const size = presizedLength(expectedRows);
    this.columns = Array.from({ length: fields }, () => new Float64Array(size));
  }

  protected decode(view: DataView, offset: number, rows: number): void {
    if (this.n + rows > (this.columns[0] as Float64Array).length) this.grow(this.n + rows);
    const { columns, times, rowBytes, fields } = this;
    for (let f = 0; f < fields; f++) {
      const column = columns[f] as Float64Array;
      // A field's 8 bytes follow the row's field count (2 bytes) and each field's length (4) and bytes (8).
      let o = offset + 2 + f * 12 + 4;
      if (f < times) {
        // µs since 2000 as two 32-bit halves: the sum is exact, one rounding in the division (as numeric → float8).
        for (let i = this.n, end = this.n + rows; i < end; i++, o += rowBytes) {
          column[i] = (view.getInt32(o) * TWO_32 + view.getUint32(o + 4) + PG_EPOCH_US) / 1000;
        }
      } else {
        for (let i = this.n, end = this.n + rows; i < end; i++, o += rowBytes) column[i] = view.getFloat64(o);
      }
    }
    this.n += rows;
  }

  finish(): Float64Array[] {
    return this.columns.map((c) => c.subarray(0, this.n));
  }

  private grow(least: number): void {
    const size = Math.max(least, (this.columns[0] as Float64Array).length * 2);
    this.columns = this.columns.map((c) => grownColumn(c, this.n, size));
  }
}

async function copyRows(client: pg.ClientBase, query: string, reader: RowReader): Promise<void> {
  // A bad row does not abort the COPY: the rest is drained so the connection stays usable.
  await copyOut(client, `COPY (${query}) TO STDOUT (FORMAT binary)`, reader);
  if (!reader.ended) throw new Error('copyBarsBinary: output ended without the trailer');
}
