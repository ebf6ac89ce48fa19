// Builds input for `COPY … FROM STDIN (FORMAT binary)`: numbers travel as IEEE doubles and times as
// integers, so neither side formats or parses decimal text (the cost of a text COPY of signals).
// Fields go in through a DataView (inlined by V8; Buffer's writeInt32BE/writeDoubleBE are calls
// that shuffle bytes one by one) and short ASCII text byte by byte (a native utf8 write costs more
// than the few characters of an id): a backfill writes hundreds of thousands of rows of 12 fields.
import { COPY_BINARY_HEADER_BYTES, COPY_BINARY_SIGNATURE, COPY_BINARY_TRAILER, PG_EPOCH_MS, writeMicros } from './pg-binary-format.ts';

const JSONB_VERSION = 1;
const PG_EPOCH_MICROS = PG_EPOCH_MS * 1000;
const TWO_32 = 2 ** 32;
/** Text up to this many characters is tried as ASCII first, one byte per character. */
const SHORT_TEXT = 64;
/** The most bytes a UTF-16 code unit can take in UTF-8. */
const MAX_UTF8_PER_UNIT = 3;
/** decimalDigits' parts: 2^53 − 1 is below 10^8 · 10^8, and each part's digits fit int32 arithmetic. */
const DIGITS_PART = 1e8;
const DIGITS_PART_LENGTH = 8;
const CHAR_0 = 48;

export class BinaryCopyWriter {
  private buf: Buffer;
  private view: DataView;
  private at = 0;
  private readonly chunks: Buffer[] = [];

  constructor(private readonly chunkBytes = 1 << 20) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    COPY_BINARY_SIGNATURE.copy(this.buf, 0);
    this.view.setInt32(COPY_BINARY_SIGNATURE.length, 0); // flags
    this.view.setInt32(COPY_BINARY_SIGNATURE.length + 4, 0); // header extension length
    this.at = COPY_BINARY_HEADER_BYTES;
  }

  row(fields: number): this {
    this.room(2);
    this.view.setInt16(this.at, fields);
    this.at += 2;
    return this;
  }

  text(value: string): this {
    this.at = this.string(value, 0);
    return this;
  }

  /** A text field of a whole number's decimal digits, the bytes of String(value), for 0 ≤ value ≤ 2^53 − 1 (a
   * venue's numeric trade id), written straight into the buffer: no string made. The number is cut into parts
   * below 10^8, so every digit comes from int32 arithmetic. Anything else throws naming the value. */
  decimalDigits(value: number): this {
    if (!(Number.isSafeInteger(value) && value >= 0)) throw new RangeError(`decimalDigits: ${value} is not a whole number in 0…2^53 − 1`);
    const high = Math.floor(value / DIGITS_PART);
    const low = value - high * DIGITS_PART;
    const lowDigits = high > 0 ? DIGITS_PART_LENGTH : digitCount(low);
    const digits = high > 0 ? digitCount(high) + DIGITS_PART_LENGTH : lowDigits;
    this.room(4 + digits);
    this.view.setInt32(this.at, digits);
    const end = this.at + 4 + digits;
    writeDigits(this.buf, end, low, lowDigits);
    if (high > 0) writeDigits(this.buf, end - DIGITS_PART_LENGTH, high, digits - DIGITS_PART_LENGTH);
    this.at = end;
    return this;
  }

  /** A float8; NaN and ±Infinity are stored as NULL (a signal without a price has none). */
  float8(value: number): this {
    this.room(12);
    if (!Number.isFinite(value)) {
      this.view.setInt32(this.at, -1);
      this.at += 4;
      return this;
    }
    this.view.setInt32(this.at, 8);
    this.view.setFloat64(this.at + 4, value);
    this.at += 12;
    return this;
  }

  /** NULL, for a column of any type. */
  null(): this {
    this.room(4);
    this.view.setInt32(this.at, -1);
    this.at += 4;
    return this;
  }

  /** An int2 (smallint). */
  int2(value: number): this {
    this.room(6);
    this.view.setInt32(this.at, 2);
    this.at = this.buf.writeInt16BE(value, this.at + 4); // range-checked as before
    return this;
  }

  /** An int4 (integer). */
  int4(value: number): this {
    this.room(8);
    this.view.setInt32(this.at, 4);
    this.at = this.buf.writeInt32BE(value, this.at + 4); // range-checked as before
    return this;
  }

  /** A bool. */
  bool(value: boolean): this {
    this.room(5);
    this.view.setInt32(this.at, 1);
    this.buf[this.at + 4] = value ? 1 : 0;
    this.at += 5;
    return this;
  }

  /** A timestamptz from epoch milliseconds. */
  timestamptz(ms: number): this {
    this.room(12);
    this.view.setInt32(this.at, 8);
    if (Number.isInteger(ms)) writeMicros(this.view, this.at + 4, ms);
    else this.buf.writeBigInt64BE(BigInt(Math.round((ms - PG_EPOCH_MS) * 1000)), this.at + 4);
    this.at += 12;
    return this;
  }

  /** A timestamptz from whole Unix epoch microseconds (`Math.round(ms * 1000)`, as isoWithMicros
   * rounds, so a stored tick and its NOTIFY agree to the microsecond), without a BigInt. */
  timestamptzMicros(unixMicros: number): this {
    this.room(12);
    this.view.setInt32(this.at, 8);
    const micros = unixMicros - PG_EPOCH_MICROS;
    if (Number.isSafeInteger(micros)) {
      const hi = Math.floor(micros / TWO_32);
      this.view.setInt32(this.at + 4, hi);
      this.view.setUint32(this.at + 8, micros - hi * TWO_32);
    } else {
      this.view.setBigInt64(this.at + 4, BigInt(Math.round(micros)));
    }
    this.at += 12;
    return this;
  }

  /** A jsonb from its JSON text. */
  jsonb(json: string): this {
    this.at = this.string(json, 1);
    return this;
  }

  /** A jsonb from JSON text already UTF-8: bytes [start, end) of `utf8`, copied as they are. */
  jsonbUtf8(utf8: Uint8Array, start: number, end: number): this {
    const n = end - start;
    this.room(5 + n);
    this.view.setInt32(this.at, n + 1);
    this.buf[this.at + 4] = JSONB_VERSION;
    this.buf.set(utf8.subarray(start, end), this.at + 5);
    this.at += 5 + n;
    return this;
  }

  /** The chunks written so far (then the trailer): the whole COPY input. */
  finish(): Buffer[] {
    this.room(2);
    this.view.setInt16(this.at, COPY_BINARY_TRAILER);
    this.at += 2;
    this.chunks.push(this.buf.subarray(0, this.at));
    this.buf = Buffer.alloc(0);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, 0);
    this.at = 0;
    return this.chunks;
  }

  /** Completed chunks, taken as they fill (lets a caller stream a large COPY). */
  takeChunks(): Buffer[] {
    return this.chunks.splice(0);
  }

  /** Writes a field of `value` as UTF-8 after its 4 length bytes and `prefix` more (jsonb's version
   * byte: 1); returns the offset after it. */
  private string(value: string, prefix: 0 | 1): number {
    const header = 4 + prefix;
    // Room for the longest UTF-8 form: the length is only known once written.
    this.room(header + value.length * MAX_UTF8_PER_UNIT);
    const begin = this.at;
    let at = begin + header;
    let ascii = value.length <= SHORT_TEXT;
    if (ascii) {
      const buf = this.buf;
      for (let i = 0; i < value.length; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) {
          ascii = false;
          break;
        }
        buf[at + i] = c;
      }
    }
    const bytes = ascii ? value.length : this.buf.write(value, at, 'utf8');
    at += bytes;
    this.view.setInt32(begin, bytes + prefix);
    if (prefix === 1) this.buf[begin + 4] = JSONB_VERSION;
    return at;
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    this.chunks.push(this.buf.subarray(0, this.at));
    this.buf = Buffer.allocUnsafe(Math.max(this.chunkBytes, bytes));
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.at = 0;
  }
}

/** Decimal digits of a whole number 0 ≤ n < 10^8. */
function digitCount(n: number): number {
  let digits = 1;
  for (let v = n; v >= 10; v = (v / 10) | 0) digits++;
  return digits;
}

/** Writes the last `count` decimal digits of a whole number 0 ≤ n < 10^8 so that they end before `end`
 * (leading zeros when `count` is more than n's digits: the low part of a number ≥ 10^8). */
function writeDigits(buf: Buffer, end: number, n: number, count: number): void {
  let v = n | 0;
  for (let i = end - 1; i >= end - count; i--) {
    const q = (v / 10) | 0;
    buf[i] = CHAR_0 + v - q * 10;
    v = q;
  }
}
