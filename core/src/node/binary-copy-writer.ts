// Builds input for `COPY … FROM STDIN (FORMAT binary)`: numbers travel as IEEE doubles and times as
// integers, so neither side formats or parses decimal text (the cost of a text COPY of signals).
import { COPY_BINARY_HEADER_BYTES, COPY_BINARY_SIGNATURE, COPY_BINARY_TRAILER, PG_EPOCH_MS } from './pg-binary-format.ts';

const JSONB_VERSION = 1;

export class BinaryCopyWriter {
  private buf: Buffer;
  private at = 0;
  private readonly chunks: Buffer[] = [];

  constructor(private readonly chunkBytes = 1 << 20) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
    COPY_BINARY_SIGNATURE.copy(this.buf, 0);
    this.buf.writeInt32BE(0, COPY_BINARY_SIGNATURE.length); // flags
    this.buf.writeInt32BE(0, COPY_BINARY_SIGNATURE.length + 4); // header extension length
    this.at = COPY_BINARY_HEADER_BYTES;
  }

  row(fields: number): this {
    this.room(2);
    this.at = this.buf.writeInt16BE(fields, this.at);
    return this;
  }

  text(value: string): this {
    const bytes = Buffer.byteLength(value);
    this.room(4 + bytes);
    this.at = this.buf.writeInt32BE(bytes, this.at);
    this.at += this.buf.write(value, this.at, 'utf8');
    return this;
  }

  /** A float8; NaN and ±Infinity are stored as NULL (a signal without a price has none). */
  float8(value: number): this {
    this.room(12);
    if (!Number.isFinite(value)) {
      this.at = this.buf.writeInt32BE(-1, this.at);
      return this;
    }
    this.at = this.buf.writeInt32BE(8, this.at);
    this.at = this.buf.writeDoubleBE(value, this.at);
    return this;
  }

  /** NULL, for a column of any type. */
  null(): this {
    this.room(4);
    this.at = this.buf.writeInt32BE(-1, this.at);
    return this;
  }

  /** An int2 (smallint). */
  int2(value: number): this {
    this.room(6);
    this.at = this.buf.writeInt32BE(2, this.at);
    this.at = this.buf.writeInt16BE(value, this.at);
    return this;
  }

  /** An int4 (integer). */
  int4(value: number): this {
    this.room(8);
    this.at = this.buf.writeInt32BE(4, this.at);
    this.at = this.buf.writeInt32BE(value, this.at);
    return this;
  }

  /** A bool. */
  bool(value: boolean): this {
    this.room(5);
    this.at = this.buf.writeInt32BE(1, this.at);
    this.at = this.buf.writeUInt8(value ? 1 : 0, this.at);
    return this;
  }

  /** A timestamptz from epoch milliseconds. */
  timestamptz(ms: number): this {
    const micros = BigInt(Math.round((ms - PG_EPOCH_MS) * 1000));
    this.room(12);
    this.at = this.buf.writeInt32BE(8, this.at);
    this.at = this.buf.writeBigInt64BE(micros, this.at);
    return this;
  }

  /** A jsonb from its JSON text. */
  jsonb(json: string): this {
    const bytes = Buffer.byteLength(json);
    this.room(5 + bytes);
    this.at = this.buf.writeInt32BE(bytes + 1, this.at);
    this.at = this.buf.writeUInt8(JSONB_VERSION, this.at);
    this.at += this.buf.write(json, this.at, 'utf8');
    return this;
  }

  /** The chunks written so far (then the trailer): the whole COPY input. */
  finish(): Buffer[] {
    this.room(2);
    this.at = this.buf.writeInt16BE(COPY_BINARY_TRAILER, this.at);
    this.chunks.push(this.buf.subarray(0, this.at));
    this.buf = Buffer.alloc(0);
    this.at = 0;
    return this.chunks;
  }

  /** Completed chunks, taken as they fill (lets a caller stream a large COPY). */
  takeChunks(): Buffer[] {
    return this.chunks.splice(0);
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    this.chunks.push(this.buf.subarray(0, this.at));
    this.buf = Buffer.allocUnsafe(Math.max(this.chunkBytes, bytes));
    this.at = 0;
  }
}
