// A batch's final orders as one row of `COPY order_chunks FROM STDIN (FORMAT binary)` (migration 022): each
// column an array with one element per order. The view run_orders reads them back as orders rows.
import { COPY_BINARY_TRAILER } from '@barstream/core/node';
import type { OrderRecord, OrderStatus } from '@barstream/core/trading';
import { ARRAY_OID, BinaryArray } from './binary-array.ts';
import { BinaryRows } from './binary-rows.ts';

export const COPY_ORDER_CHUNK = `COPY order_chunks (run_id, first_seq, orders, client_order_id, role, side, order_type, tif, qty,
  filled_qty, limit_price, stop_price, status, reason, revision, signal_key, created_at, updated_at) FROM STDIN (FORMAT binary)`;

const FIELDS = 18;
const TRAILER = Buffer.from([(COPY_BINARY_TRAILER >> 8) & 0xff, COPY_BINARY_TRAILER & 0xff]);
/** The columns start this big (then as big as the largest chunk so far). */
const INITIAL_BYTES = 1 << 14;

const FINAL: ReadonlySet<OrderStatus> = new Set(['filled', 'cancelled', 'rejected']);

/** An order in a final state never changes again (the engine's order state machine): it can be packed. */
export function isFinal(order: OrderRecord): boolean {
  return FINAL.has(order.status);
}

export class OrderChunkColumns {
  private n = 0;
  private readonly ids = new BinaryArray(ARRAY_OID.text, INITIAL_BYTES);
  private readonly role = new BinaryArray(ARRAY_OID.text, INITIAL_BYTES);
  private readonly side = new BinaryArray(ARRAY_OID.text, INITIAL_BYTES);
  private readonly orderType = new BinaryArray(ARRAY_OID.text, INITIAL_BYTES);
  private readonly tif = new BinaryArray(ARRAY_OID.text, INITIAL_BYTES);
  private readonly qty = new BinaryArray(ARRAY_OID.float8, INITIAL_BYTES);
  private readonly filledQty = new BinaryArray(ARRAY_OID.float8, INITIAL_BYTES);
  private readonly limitPrice = new BinaryArray(ARRAY_OID.float8, INITIAL_BYTES);
  private readonly stopPrice = new BinaryArray(ARRAY_OID.float8, INITIAL_BYTES);
  private readonly status = new BinaryArray(ARRAY_OID.text, INITIAL_BYTES);
  private readonly reason = new BinaryArray(ARRAY_OID.text, INITIAL_BYTES);
  private readonly revision = new BinaryArray(ARRAY_OID.int4, INITIAL_BYTES);
  private readonly signalKey = new BinaryArray(ARRAY_OID.text, INITIAL_BYTES);
  private readonly created = new BinaryArray(ARRAY_OID.timestamptz, INITIAL_BYTES);
  private readonly updated = new BinaryArray(ARRAY_OID.timestamptz, INITIAL_BYTES);

  get length(): number {
    return this.n;
  }

  /** An order's latest state, created and last changed at `created` and `updated` (epoch ms). */
  add(o: OrderRecord, created: number, updated: number): void {
    this.n++;
    this.ids.text(o.clientOrderId);
    this.role.text(o.role);
    this.side.text(o.side);
    this.orderType.text(o.orderType);
    this.tif.text(o.tif);
    this.qty.float8(o.qty);
    this.filledQty.float8(o.filledQty);
    this.limitPrice.float8(o.limitPrice);
    this.stopPrice.float8(o.stopPrice);
    this.status.text(o.status);
    this.reason.text(o.reason);
    this.revision.int4(o.revision);
    this.signalKey.text(o.signalKey);
    this.created.timestamptz(created);
    this.updated.timestamptz(updated);
  }

  /** The orders so far (at least one) as the COPY input of one row keyed `firstSeq`, which it then forgets.
   * The input's buffers are written over by the next orders added: send it first. */
  take(runId: number, firstSeq: number): Buffer[] {
    const n = this.n;
    if (n === 0) throw new RangeError('OrderChunkColumns.take: no orders');
    const head = new BinaryRows(64);
    head.row(FIELDS);
    head.int8(runId);
    head.int8(firstSeq);
    head.int4(n);
    const input = [head.head()];
    for (const c of this.all()) {
      input.push(...c.field(n));
      c.clear();
    }
    input.push(TRAILER);
    this.n = 0;
    return input;
  }

  /** In column order. */
  private all(): BinaryArray[] {
    return [
      this.ids,
      this.role,
      this.side,
      this.orderType,
      this.tif,
      this.qty,
      this.filledQty,
      this.limitPrice,
      this.stopPrice,
      this.status,
      this.reason,
      this.revision,
      this.signalKey,
      this.created,
      this.updated,
    ];
  }
}
