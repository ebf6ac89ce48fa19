// Rows of BarColumns as `COPY … FROM STDIN (FORMAT binary)` input for the columns in BAR_COPY_COLUMNS,
// the layout of ohlc_bars itself and of the import's temporary table, so one encoding serves both.
// Numbers travel as IEEE doubles and times as integers: neither side formats or parses decimal text.
import type { BarColumns, BarSeries } from './bar-columns.ts';
import { COPY_BINARY_HEADER_BYTES, COPY_BINARY_SIGNATURE, COPY_BINARY_TRAILER, writeMicros } from '@barstream/core/node';

export const BAR_COPY_COLUMNS =
  'contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed';
const FIELDS = 11;
/** Room for a row's fixed part: field count, timestamp and five doubles. */
const FIXED_ROW_BYTES = 2 + 12 + 5 * 12;
/** Large enough that a COPY message's overhead vanishes, small enough to go out while the next is built. */
const CHUNK_BYTES = 1 << 20;

/** Per series: the bytes before the timestamp (field count, contract_id) and after volume. */
interface SeriesBytes {
  readonly head: Uint8Array;
  readonly tail: Uint8Array;
}

export class BarCopyEncoder {
  private readonly bytes: SeriesBytes[] = [];
  private buf = Buffer.allocUnsafe(CHUNK_BYTES);
  private view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  private at = 0;
  private readonly out: Buffer[] = [];

  constructor(private readonly cols: BarColumns) {}

  /** The header every COPY statement starts with. */
  header(): void {
    this.room(COPY_BINARY_HEADER_BYTES);
    this.buf.set(COPY_BINARY_SIGNATURE, this.at);
    this.view.setInt32(this.at + COPY_BINARY_SIGNATURE.length, 0);
    this.view.setInt32(this.at + COPY_BINARY_SIGNATURE.length + 4, 0);
    this.at += COPY_BINARY_HEADER_BYTES;
  }

  /** The trailer every COPY statement ends with. */
  trailer(): void {
    this.room(2);
    this.view.setInt16(this.at, COPY_BINARY_TRAILER);
    this.at += 2;
  }

  rows(from: number, to: number): void {
    for (let i = from; i < to; i++) this.row(i);
  }

  selected(indices: ArrayLike<number>): void {
    for (let k = 0; k < indices.length; k++) this.row(indices[k] as number);
  }

  /** What was encoded since the last call. */
  take(): Buffer[] {
    if (this.at > 0) {
      this.out.push(this.buf.subarray(0, this.at));
      this.fresh();
    }
    return this.out.splice(0);
  }

  private row(i: number): void {
    const c = this.cols;
    const time = c.time[i] as number;
    // ohlc_bars keeps whole milliseconds; anything else is a caller's bug, not a value to round.
    if (!Number.isSafeInteger(time)) throw new RangeError(`bar time ${time} is not a whole number of milliseconds`);
    const { head, tail } = this.seriesBytes(c.seriesOf[i] as number);
    this.room(head.length + FIXED_ROW_BYTES + tail.length);
    const v = this.view;
    let at = this.at;
    this.buf.set(head, at);
    at += head.length;
    v.setInt32(at, 8);
    writeMicros(v, at + 4, time);
    v.setInt32(at + 12, 8);
    v.setFloat64(at + 16, c.open[i] as number);
    v.setInt32(at + 24, 8);
    v.setFloat64(at + 28, c.high[i] as number);
    v.setInt32(at + 36, 8);
    v.setFloat64(at + 40, c.low[i] as number);
    v.setInt32(at + 48, 8);
    v.setFloat64(at + 52, c.close[i] as number);
    v.setInt32(at + 60, 8);
    v.setFloat64(at + 64, c.volume[i] as number);
    at += 72;
    this.buf.set(tail, at);
    this.at = at + tail.length;
  }

  private seriesBytes(s: number): SeriesBytes {
    const known = this.bytes[s];
    if (known) return known;
    const series = this.cols.series[s] as BarSeries;
    const made = { head: seriesHead(series), tail: seriesTail(series) };
    this.bytes[s] = made;
    return made;
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    this.out.push(this.buf.subarray(0, this.at));
    this.fresh(Math.max(CHUNK_BYTES, bytes));
  }

  private fresh(size = CHUNK_BYTES): void {
    this.buf = Buffer.allocUnsafe(size);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.at = 0;
  }
}

function seriesHead(s: BarSeries): Uint8Array {
  const id = Buffer.from(s.contractId, 'utf8');
  const b = Buffer.alloc(2 + 4 + id.length);
  b.writeInt16BE(FIELDS, 0);
  b.writeInt32BE(id.length, 2);
  id.copy(b, 6);
  return b;
}

/** timeframe_unit (int2), timeframe_value (int4), timeframe (text), is_closed (bool, always true). */
function seriesTail(s: BarSeries): Uint8Array {
  const label = Buffer.from(s.label, 'utf8');
  const b = Buffer.alloc(6 + 8 + 4 + label.length + 5);
  let at = b.writeInt32BE(2, 0);
  at = b.writeInt16BE(s.unit, at);
  at = b.writeInt32BE(4, at);
  at = b.writeInt32BE(s.value, at);
  at = b.writeInt32BE(label.length, at);
  at += label.copy(b, at);
  at = b.writeInt32BE(1, at);
  b.writeUInt8(1, at);
  return b;
}
