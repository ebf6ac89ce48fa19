// The pipeline's ticks waiting for the database, columnar (see tick-batch.ts): appended one trade at
// a time into preallocated typed arrays, taken from the front a flush at a time, a failed flush's
// batch put back in front. A trade object is then garbage as soon as it is aggregated instead of
// living (and being promoted by the GC) until its flush commits. A venue's numbered trade ids go in a
// Float64Array too (tick-batch.ts' tradeNo), so no id string a tick lives until the flush either.
import type { Trade } from '@barstream/core';
import { numbered, sideCode, type TickBatch } from './tick-batch.ts';

const INITIAL_CAPACITY = 4_096;
/** Rows the arrays keep when the buffer empties (a flood under backpressure stays within it: ~2 MB);
 * beyond it, after a burst or an outage grew them up to the 250,000-tick cap, they start over. */
const KEPT_CAPACITY = 65_536;

export class TickBuffer {
  /** Rows [head, tail) are buffered. */
  private head = 0;
  private tail = 0;
  private contract = new Uint32Array(INITIAL_CAPACITY);
  private time = new Float64Array(INITIAL_CAPACITY);
  private price = new Float64Array(INITIAL_CAPACITY);
  private volume = new Float64Array(INITIAL_CAPACITY);
  private side = new Uint8Array(INITIAL_CAPACITY);
  /** Only allocated once a trade carries a vendor id given as text. */
  private tradeId: (string | undefined)[] | undefined;
  /** Only allocated once a trade carries a numbered vendor id; NaN in every other row. */
  private tradeNo: Float64Array | undefined;
  /** Append-only for the buffer's life, so every batch taken from it can share it. */
  private readonly contractIds: string[] = [];
  private readonly indexOf = new Map<string, number>();

  get length(): number {
    return this.tail - this.head;
  }

  /** Rows the arrays hold now (what the buffer costs in memory, ~29 bytes a row). */
  get capacity(): number {
    return this.contract.length;
  }

  append(trade: Trade): void {
    if (this.tail === this.contract.length) this.makeRoom(0, 1);
    const at = this.tail++;
    this.contract[at] = this.contractIndex(trade.contractId);
    this.time[at] = trade.time;
    this.price[at] = trade.price;
    this.volume[at] = trade.volume;
    this.side[at] = sideCode(trade.side);
    const id = trade.tradeId;
    if (numbered(id)) {
      (this.tradeNo ??= noNumbers(this.contract.length))[at] = id;
      if (this.tradeId) this.tradeId[at] = undefined;
      return;
    }
    if (this.tradeNo) this.tradeNo[at] = NaN;
    // A number that cannot stand for its digits (the validator refuses it first) would be kept as its text.
    const text = typeof id === 'number' ? String(id) : id;
    if (text !== undefined) this.tradeId ??= new Array<string | undefined>(this.contract.length);
    if (this.tradeId) this.tradeId[at] = text;
  }

  /** Takes the oldest `max` ticks at most (copied out: the buffer's arrays are reused). */
  take(max: number): TickBatch {
    const from = this.head;
    const to = Math.min(this.tail, from + max);
    const batch: TickBatch = {
      length: to - from,
      contractIds: this.contractIds,
      contract: this.contract.slice(from, to),
      time: this.time.slice(from, to),
      price: this.price.slice(from, to),
      volume: this.volume.slice(from, to),
      side: this.side.slice(from, to),
      tradeId: this.tradeId?.slice(from, to),
      tradeNo: this.tradeNo?.slice(from, to),
    };
    this.dropOldest(to - from);
    return batch;
  }

  /** Forgets the oldest `n` ticks (the buffer is full). */
  dropOldest(n: number): void {
    if (this.tradeId) this.tradeId.fill(undefined, this.head, this.head + n);
    this.head = Math.min(this.tail, this.head + n);
    if (this.head === this.tail) this.empty();
  }

  /** Puts a batch taken from this buffer back in front (a failed flush, retried first). */
  putBack(batch: TickBatch): void {
    if (batch.length === 0) return;
    if (batch.contractIds !== this.contractIds) throw new Error('TickBuffer.putBack: the batch was not taken from this buffer');
    const n = batch.length;
    if (this.head < n) this.makeRoom(n, 0);
    const at = (this.head -= n);
    this.contract.set(batch.contract, at);
    this.time.set(batch.time, at);
    this.price.set(batch.price, at);
    this.volume.set(batch.volume, at);
    this.side.set(batch.side, at);
    if (batch.tradeId) this.tradeId ??= new Array<string | undefined>(this.contract.length);
    if (this.tradeId) for (let i = 0; i < n; i++) this.tradeId[at + i] = batch.tradeId?.[i];
    if (batch.tradeNo) this.tradeNo ??= noNumbers(this.contract.length);
    if (this.tradeNo) {
      if (batch.tradeNo) this.tradeNo.set(batch.tradeNo, at);
      else this.tradeNo.fill(NaN, at, at + n);
    }
  }

  /** Rows start at 0 again; arrays a burst grew past KEPT_CAPACITY are given back. */
  private empty(): void {
    this.head = this.tail = 0;
    if (this.contract.length <= KEPT_CAPACITY) return;
    this.contract = new Uint32Array(INITIAL_CAPACITY);
    this.time = new Float64Array(INITIAL_CAPACITY);
    this.price = new Float64Array(INITIAL_CAPACITY);
    this.volume = new Float64Array(INITIAL_CAPACITY);
    this.side = new Uint8Array(INITIAL_CAPACITY);
    if (this.tradeId) this.tradeId = new Array<string | undefined>(INITIAL_CAPACITY);
    if (this.tradeNo) this.tradeNo = noNumbers(INITIAL_CAPACITY);
  }

  private contractIndex(contractId: string): number {
    let c = this.indexOf.get(contractId);
    if (c === undefined) {
      c = this.contractIds.push(contractId) - 1;
      this.indexOf.set(contractId, c);
    }
    return c;
  }

  /** Moves the buffered rows to start at `front`, with room for `extra` more after them; the arrays
   * double while the rows would fill more than half of them (so moves stay amortized O(1) a tick). */
  private makeRoom(front: number, extra: number): void {
    const n = this.length;
    let capacity = this.contract.length;
    while (2 * (front + n) > capacity || front + n + extra > capacity) capacity *= 2;
    const move = <A extends Uint32Array | Float64Array | Uint8Array>(a: A, make: (size: number) => A): A => {
      const target = capacity === a.length ? a : make(capacity);
      target.set(a.subarray(this.head, this.tail), front);
      return target;
    };
    this.contract = move(this.contract, (s) => new Uint32Array(s));
    this.time = move(this.time, (s) => new Float64Array(s));
    this.price = move(this.price, (s) => new Float64Array(s));
    this.volume = move(this.volume, (s) => new Float64Array(s));
    this.side = move(this.side, (s) => new Uint8Array(s));
    if (this.tradeNo) this.tradeNo = move(this.tradeNo, (s) => noNumbers(s));
    if (this.tradeId) {
      const ids = new Array<string | undefined>(capacity);
      for (let i = 0; i < n; i++) ids[front + i] = this.tradeId[this.head + i];
      this.tradeId = ids;
    }
    this.head = front;
    this.tail = front + n;
  }
}

/** A numbered-id column of `size` rows, none with a numbered id. */
function noNumbers(size: number): Float64Array {
  return new Float64Array(size).fill(NaN);
}
