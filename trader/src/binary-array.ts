// A one-dimensional array as one field of a binary COPY row: its elements are written as fields are
// (binary-fields.ts), and `field` puts the array's header in front. A packed chunk's columns
// (order-event-chunk-copy.ts) are such arrays.
import { BinaryFields } from './binary-fields.ts';

/** Element type oids. */
export const ARRAY_OID = { int4: 23, int8: 20, text: 25, float8: 701, timestamptz: 1184 } as const;

/** The array's header: dimensions, has-nulls flag, element type, length, lower bound. */
const HEADER_BYTES = 20;

export class BinaryArray extends BinaryFields {
  constructor(
    readonly elementOid: number,
    initialBytes = 1 << 16,
  ) {
    super(initialBytes);
  }

  /** Forgets the elements written, keeping the buffer (what `field` returned is written over next). */
  clear(): void {
    this.at = 0;
    this.hasNull = false;
  }

  /** The field (its length, the array's header, then the elements written so far, which number `length`)
   * as two buffers to send one after the other; nothing may be written to this array after, until `clear`. */
  field(length: number): [Buffer, Buffer] {
    if (!(length >= 0)) throw new RangeError(`BinaryArray.field: ${length} elements`);
    const head = Buffer.allocUnsafe(4 + HEADER_BYTES);
    head.writeInt32BE(HEADER_BYTES + this.byteLength, 0);
    head.writeInt32BE(1, 4);
    head.writeInt32BE(this.hasNull ? 1 : 0, 8);
    head.writeInt32BE(this.elementOid, 12);
    head.writeInt32BE(length, 16);
    head.writeInt32BE(1, 20);
    return [head, this.written()];
  }
}
