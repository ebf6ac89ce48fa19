// A batch of order events as one row of `COPY order_event_chunks FROM STDIN (FORMAT binary)` (migration
// 016): each column an array with one element per event, the client order ids once per chunk with an index
// per event. Encoded as the engine emits the events; the view run_order_events reads them back as rows.
import { COPY_BINARY_TRAILER } from '@barstream/core/node';
import type { OrderRecord } from '@barstream/core/trading';
import { ARRAY_OID, BinaryArray } from './binary-array.ts';
import { BinaryRows } from './binary-rows.ts';

export const COPY_ORDER_EVENT_CHUNK = `COPY order_event_chunks (run_id, first_seq, events, order_ids, order_index, "time", status,
  filled_qty, qty, limit_price, stop_price, reason, revision) FROM STDIN (FORMAT binary)`;

const FIELDS = 13;
const TRAILER = Buffer.from([(COPY_BINARY_TRAILER >> 8) & 0xff, COPY_BINARY_TRAILER & 0xff]);
/** A first chunk's columns start this big (later ones at their predecessor's size). */
const INITIAL_BYTES = 1 << 16;

/** An order that changed in the chunk: its latest record and the times of its first and last change. */
export interface ChunkOrder {
  /** Its element of order_ids (1-based, as SQL arrays are). */
  readonly index: number;
  order: OrderRecord;
  readonly created: number;
  updated: number;
}

/** A taken chunk: the COPY input (buffers to send in order) and the orders it changed. */
export interface OrderEventChunk {
  readonly input: Buffer[];
  /** The first event's seq (the chunk's key). */
  readonly firstSeq: number;
  readonly events: number;
  readonly orders: ReadonlyMap<string, ChunkOrder>;
}

/** A chunk's columns as arrays (binary-array.ts). */
class EventArrays {
  readonly ids = new BinaryArray(ARRAY_OID.text, INITIAL_BYTES);
  readonly index = new BinaryArray(ARRAY_OID.int4, INITIAL_BYTES);
  readonly time = new BinaryArray(ARRAY_OID.timestamptz, INITIAL_BYTES);
  readonly status = new BinaryArray(ARRAY_OID.text, INITIAL_BYTES);
  readonly filledQty = new BinaryArray(ARRAY_OID.float8, INITIAL_BYTES);
  readonly qty = new BinaryArray(ARRAY_OID.float8, INITIAL_BYTES);
  readonly limitPrice = new BinaryArray(ARRAY_OID.float8, INITIAL_BYTES);
  readonly stopPrice = new BinaryArray(ARRAY_OID.float8, INITIAL_BYTES);
  readonly reason = new BinaryArray(ARRAY_OID.text, INITIAL_BYTES);
  readonly revision = new BinaryArray(ARRAY_OID.int4, INITIAL_BYTES);

  /** In column order. */
  all(): BinaryArray[] {
    return [
      this.ids,
      this.index,
      this.time,
      this.status,
      this.filledQty,
      this.qty,
      this.limitPrice,
      this.stopPrice,
      this.reason,
      this.revision,
    ];
  }
}

export class OrderEventColumns {
  private firstSeq = 0;
  private n = 0;
  private orders = new Map<string, ChunkOrder>();
  /** The chunk being written, and the one taken before it (still being sent while this one is written):
   * they change places at each take, so their buffers are reused instead of new ones first touched. */
  private arrays = new EventArrays();
  private spare = new EventArrays();

  get length(): number {
    return this.n;
  }

  /** Order event `seq` (one more than the previous one's) at engine time `time`. */
  add(seq: number, time: number, o: OrderRecord): void {
    if (this.n++ === 0) this.firstSeq = seq;
    const a = this.arrays;
    const id = o.clientOrderId;
    let known = this.orders.get(id);
    if (known === undefined) {
      known = { index: this.orders.size + 1, order: o, created: time, updated: time };
      this.orders.set(id, known);
      a.ids.text(id);
    } else {
      known.order = o;
      known.updated = time;
    }
    a.index.int4(known.index);
    a.time.timestamptz(time);
    a.status.text(o.status);
    a.filledQty.float8(o.filledQty);
    a.qty.float8(o.qty);
    a.limitPrice.float8(o.limitPrice);
    a.stopPrice.float8(o.stopPrice);
    a.reason.text(o.reason);
    a.revision.int4(o.revision);
  }

  /** The events so far (at least one) as the COPY input of one row, which it then forgets. The input's
   * buffers stay valid until the second take after this one (then they are written over): send a chunk
   * before taking the one after next. */
  take(runId: number): OrderEventChunk {
    const n = this.n;
    if (n === 0) throw new RangeError('OrderEventColumns.take: no events');
    const head = new BinaryRows(64);
    head.row(FIELDS);
    head.int8(runId);
    head.int8(this.firstSeq);
    head.int4(n);
    const taken = this.arrays;
    const input = [head.head()];
    for (const c of taken.all()) input.push(...c.field(c === taken.ids ? this.orders.size : n));
    input.push(TRAILER);
    const chunk = { input, firstSeq: this.firstSeq, events: n, orders: this.orders };
    this.arrays = this.spare;
    this.spare = taken;
    for (const c of this.arrays.all()) c.clear();
    this.orders = new Map();
    this.n = 0;
    return chunk;
  }
}
