// Fields in PostgreSQL's binary COPY format (each a length, then its bytes), written through a DataView into
// one growing buffer: the base of binary-rows.ts (a COPY's rows) and binary-array.ts (an array's elements,
// which are encoded the same way). core's BinaryCopyWriter (Buffer.write* with argument checks, a BigInt per
// timestamp, two native calls per text) cost ~3× as much here; engine texts are short printable ASCII,
// copied a char at a time (others by Buffer.write, UTF-8).
import { writeMicros } from '@barstream/core/node';
import { MONEY_SCALE } from '@barstream/core/trading';

const TWO_32 = 2 ** 32;
/** Anything but printable ASCII (what the engine's texts are) goes the UTF-8 way. */
const NOT_ASCII = /[^ -~]/;
/** Texts up to this long are copied in JavaScript (order ids, statuses); longer ones by Buffer.write. */
const SHORT_TEXT = 64;
/** numeric's binary form: a header of four int16 (digits, weight, sign, display scale), then base-10000
 * digits, most significant first. */
const NUMERIC_HEADER = 8;
const NBASE = 10_000;
const NUMERIC_NEG = 0x4000;
/** Decimals of MONEY_SCALE's units. */
const MONEY_DECIMALS = 8;

export class BinaryFields {
  protected buf: Buffer;
  protected view: DataView;
  protected at = 0;
  /** A NULL was written. */
  hasNull = false;

  constructor(initialBytes: number) {
    this.buf = Buffer.allocUnsafe(initialBytes);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Bytes written so far. */
  get byteLength(): number {
    return this.at;
  }

  /** A bigint field from a safe integer. */
  int8(value: number): void {
    this.room(12);
    const hi = Math.floor(value / TWO_32);
    this.view.setInt32(this.at, 8);
    this.view.setInt32(this.at + 4, hi);
    this.view.setUint32(this.at + 8, value - hi * TWO_32);
    this.at += 12;
  }

  int4(value: number): void {
    this.room(8);
    this.view.setInt32(this.at, 4);
    this.view.setInt32(this.at + 4, value);
    this.at += 8;
  }

  /** A float8, or NULL for null. */
  float8(value: number | null): void {
    this.room(12);
    if (value === null) return this.null();
    this.view.setInt32(this.at, 8);
    this.view.setFloat64(this.at + 4, value);
    this.at += 12;
  }

  /** A numeric with 8 decimals (what numeric(30,8) stores) from a whole number of units of 10⁻⁸ (the
   * engine's Money): no decimal text to format here or parse in the database. */
  money(units: number): void {
    if (!Number.isSafeInteger(units)) throw new RangeError(`BinaryFields.money: ${units} is not a safe whole number of units`);
    const abs = Math.abs(units);
    // A safe integer's whole part (< 2^53 / 10^8 < 10^8) and its 8 decimals: two base-10000 digits each.
    const whole = Math.floor(abs / MONEY_SCALE);
    const frac = abs - whole * MONEY_SCALE;
    const w1 = Math.floor(whole / NBASE);
    const f1 = Math.floor(frac / NBASE);
    this.room(4 + NUMERIC_HEADER + 4 * 2);
    const view = this.view;
    const at = this.at;
    view.setInt32(at, NUMERIC_HEADER + 4 * 2);
    view.setInt16(at + 4, 4); // digits (the database strips the zero ones)
    view.setInt16(at + 6, 1); // weight: the first digit counts NBASE¹
    view.setUint16(at + 8, units < 0 ? NUMERIC_NEG : 0);
    view.setInt16(at + 10, MONEY_DECIMALS);
    view.setInt16(at + 12, w1);
    view.setInt16(at + 14, whole - w1 * NBASE);
    view.setInt16(at + 16, f1);
    view.setInt16(at + 18, frac - f1 * NBASE);
    this.at = at + 4 + NUMERIC_HEADER + 4 * 2;
  }

  /** A timestamptz from epoch milliseconds, truncated to the millisecond as run-record-writer.ts's ISO
   * text is (tick-model times carry microseconds): a backtest stores what the paper path stores. */
  timestamptz(ms: number): void {
    this.room(12);
    this.view.setInt32(this.at, 8);
    writeMicros(this.view, this.at + 4, Math.trunc(ms));
    this.at += 12;
  }

  /** A timestamptz from epoch milliseconds with their fraction as microseconds (an equity point's time
   * as the engine gives it). */
  timestamptzMicros(ms: number): void {
    this.room(12);
    this.view.setInt32(this.at, 8);
    writeMicros(this.view, this.at + 4, ms);
    this.at += 12;
  }

  // Columns of numbers (a packed chunk's arrays): room reserved first, then a plain loop over locals with
  // nothing after it. A first call with a long column is compiled on-stack mid-loop, before any code after
  // the loop has run: a `this.at = at` there had no type feedback and sent that compiled loop back to the
  // interpreter at every later call (int8s: 24 deoptimisations in a first backtest, none in a second).

  /** `n` bigint fields from the safe integers `values[0..n)` times `scale`. */
  int8s(values: Float64Array, n: number, scale = 1): void {
    const view = this.reserve(n * 12);
    for (let i = 0, at = this.at - n * 12; i < n; i++, at += 12) {
      const value = (values[i] as number) * scale;
      const hi = Math.floor(value / TWO_32);
      view.setInt32(at, 8);
      view.setInt32(at + 4, hi);
      view.setUint32(at + 8, value - hi * TWO_32);
    }
  }

  /** `n` int4 fields from `values[0..n)`. */
  int4s(values: Float64Array, n: number): void {
    const view = this.reserve(n * 8);
    for (let i = 0, at = this.at - n * 8; i < n; i++, at += 8) {
      view.setInt32(at, 4);
      view.setInt32(at + 4, values[i] as number);
    }
  }

  /** `n` float8 fields from `values[0..n)`. */
  float8s(values: Float64Array, n: number): void {
    const view = this.reserve(n * 12);
    for (let i = 0, at = this.at - n * 12; i < n; i++, at += 12) {
      view.setInt32(at, 8);
      view.setFloat64(at + 4, values[i] as number);
    }
  }

  /** `n` timestamptz fields from the epoch milliseconds `ms[0..n)`, microseconds kept (timestamptzMicros). */
  timestamptzMicrosList(ms: Float64Array, n: number): void {
    const view = this.reserve(n * 12);
    for (let i = 0, at = this.at - n * 12; i < n; i++, at += 12) {
      view.setInt32(at, 8);
      writeMicros(view, at + 4, ms[i] as number);
    }
  }

  /** A text, or NULL for null. */
  text(value: string | null): void {
    if (value === null) {
      this.room(4);
      return this.null();
    }
    const n = value.length;
    if (n <= SHORT_TEXT) {
      // Engine texts are short printable ASCII: copied a char at a time, no native call per field.
      this.room(4 + n);
      const buf = this.buf;
      const start = this.at + 4;
      let i = 0;
      for (; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c < 0x20 || c > 0x7e) break;
        buf[start + i] = c;
      }
      if (i === n) {
        this.view.setInt32(this.at, n);
        this.at = start + n;
        return;
      }
    }
    const ascii = !NOT_ASCII.test(value);
    const bytes = ascii ? n : Buffer.byteLength(value);
    this.room(4 + bytes);
    this.view.setInt32(this.at, bytes);
    this.buf.write(value, this.at + 4, bytes, ascii ? 'latin1' : 'utf8');
    this.at += 4 + bytes;
  }

  /** The bytes written so far (a view of the buffer: nothing may be written after). */
  protected written(): Buffer {
    return this.buf.subarray(0, this.at);
  }

  /** Room for `bytes` more, taken: the view to write them through, `this.at` already past them. */
  protected reserve(bytes: number): DataView {
    this.room(bytes);
    this.at += bytes;
    return this.view;
  }

  /** Room for `bytes` more (at least 4: a NULL's length). */
  protected room(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + bytes));
    this.buf.copy(grown, 0, 0, this.at);
    this.buf = grown;
    this.view = new DataView(grown.buffer, grown.byteOffset, grown.byteLength);
  }

  private null(): void {
    this.view.setInt32(this.at, -1);
    this.at += 4;
    this.hasNull = true;
  }
}
