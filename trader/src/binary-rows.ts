// Rows for `COPY … FROM STDIN (FORMAT binary)` written into one growing buffer (binary-fields.ts): the
// backtest's orders, and the header of its packed rows (order-event-chunk-copy.ts).
import { COPY_BINARY_HEADER_BYTES, COPY_BINARY_SIGNATURE, COPY_BINARY_TRAILER } from '@barstream/core/node';
import { BinaryFields } from './binary-fields.ts';

export class BinaryRows extends BinaryFields {
  constructor(initialBytes = 1 << 16) {
    super(Math.max(initialBytes, COPY_BINARY_HEADER_BYTES + 2));
    COPY_BINARY_SIGNATURE.copy(this.buf, 0);
    this.view.setInt32(COPY_BINARY_SIGNATURE.length, 0);
    this.view.setInt32(COPY_BINARY_SIGNATURE.length + 4, 0);
    this.at = COPY_BINARY_HEADER_BYTES;
  }

  row(fields: number): void {
    this.room(2);
    this.view.setInt16(this.at, fields);
    this.at += 2;
  }

  /** The COPY input so far without its trailer (more of the row follows in other buffers). */
  head(): Buffer {
    return this.written();
  }

  /** The whole COPY input, with the trailer. */
  finish(): Buffer {
    this.room(2);
    this.view.setInt16(this.at, COPY_BINARY_TRAILER);
    this.at += 2;
    return this.written();
  }
}
