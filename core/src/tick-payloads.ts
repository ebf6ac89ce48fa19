// Packs ticks of any number of contracts into tick_data_channel payloads in the columnar form
// (tickColumnsMessageSchema), each under NOTIFY's size limit: one payload holds several contracts'
// ticks, so a flush sends about one NOTIFY per 8,000 bytes of ticks however many contracts traded.
// A tick costs ~17 bytes (a time delta, price, volume, one side letter) where the object form took
// ~85, and no ISO time is formatted: every byte of a payload is PostgreSQL CPU (Bind, pg_notify, the
// notify queue) and the broadcaster's. Ticks go in one at a time, so the ingester builds the payloads
// while its COPY of the same ticks is in flight.
//
// A tick's text goes straight into byte columns (one set per contract, reused from payload to payload
// and from builder to builder): whole numbers are written digit by digit and a repeated price is
// copied, so a tick makes no string and no array slot that would live until its payload closes (they
// were a third of the pipeline's Node CPU with the GC they caused).
import { MAX_NOTIFY_PAYLOAD_BYTES } from './channels.ts';
import { Column, numberLength, ZERO, spare } from './json-number-column.ts';
import { TICK_COLUMNS_VERSION, type Trade, type TradeSide } from './schemas/tick.ts';

const utf8 = new TextEncoder();
const PAYLOAD_HEAD = `{"type":"tick_columns","v":${TICK_COLUMNS_VERSION},"contracts":[`;
/** The payload's head and its closing "]}". */
const PAYLOAD_FRAME_BYTES = PAYLOAD_HEAD.length + 2;
const DT = ',"dt":[';
const PRICES = '],"p":[';
const VOLUMES = '],"q":[';
const SIDES = '],"s":"';
const GROUP_END = '"}';
/** A group's fixed text around its contract head and t0: `,"dt":[`, the three column openers, its end. */
const GROUP_FIXED_BYTES = DT.length + PRICES.length + VOLUMES.length + SIDES.length + GROUP_END.length;
const COMMA = 0x2c;
const SIDE_CODES: Readonly<Record<TradeSide, number>> = { buy: 0x62, sell: 0x73, unknown: 0x75 };
/** A binary array's header: dimensions, NULL flag, element type, then the one dimension's length and
 * lower bound. */
const TEXT_ARRAY_HEADER_BYTES = 20;
const TEXT_OID = 25;

const bytesOf = (text: string): Uint8Array => utf8.encode(text);
const PAYLOAD_HEAD_BYTES = bytesOf(PAYLOAD_HEAD);
const DT_BYTES = bytesOf(DT);
const PRICES_BYTES = bytesOf(PRICES);
const VOLUMES_BYTES = bytesOf(VOLUMES);
const SIDES_BYTES = bytesOf(SIDES);
const GROUP_END_BYTES = bytesOf(GROUP_END);
const PAYLOAD_END_BYTES = bytesOf(']}');

/** Copies the first `length` bytes of `bytes` into `out` at `at`; returns the offset after them. A
 * loop: most runs are a few bytes, where a subarray and a native copy cost more. */
function put(out: Uint8Array, at: number, bytes: Uint8Array, length: number): number {
  for (let i = 0; i < length; i++) out[at + i] = bytes[i] as number;
  return at + length;
}

/** One contract's slot: its head, and its group's columns while it has one in the open payload. */
interface Slot {
  /** `{"contract_id":…,"t0":` as UTF-8. */
  readonly head: Uint8Array;
  open: boolean;
  t0: number;
  /** The last tick's time (µs): the next delta's base. */
  last: number;
  dt: Column | undefined;
  p: Column | undefined;
  q: Column | undefined;
  s: Column | undefined;
  /** The last price, and where its text lies in `p`: prices repeat tick after tick. */
  lastPrice: number;
  lastPriceAt: number;
  lastPriceLength: number;
}

/** Ticks in, payloads out; each contract's ticks stay in order across payloads. */
export class TickPayloadBuilder {
  private readonly slots = new Map<string, Slot>();
  /** Slots with a group in the open payload, in the order their groups opened. */
  private readonly groups: Slot[] = [];
  private bytes = PAYLOAD_FRAME_BYTES;
  private readonly payloads: string[] = [];
  private out: Buffer | undefined;
  /** A group's t0, as text, while its payload closes. */
  private readonly t0Text = new Column();

  /** finishTextArray()'s form: payloads written straight into a PostgreSQL binary text[] (after its
   * header), each after its 4-byte length. */
  private array: Buffer | undefined;
  private arrayAt = TEXT_ARRAY_HEADER_BYTES;
  private arrayCount = 0;

  /** @param textArray the payloads are taken as one binary text[] (finishTextArray), not as strings. */
  constructor(
    private readonly maxBytes = MAX_NOTIFY_PAYLOAD_BYTES,
    private readonly textArray = false,
  ) {}

  add(trade: Trade): void {
    this.addTick(trade.contractId, Math.round(trade.time * 1000), trade.price, trade.volume, trade.side);
  }

  /** A tick by its fields, its time in whole epoch microseconds (as the COPY stores it). */
  addTick(contractId: string, micros: number, price: number, volume: number, side: TradeSide): void {
    const slot = this.slotOf(contractId);
    let open = slot.open;
    const samePrice = open && slot.lastPrice === price;
    const priceLength = samePrice ? slot.lastPriceLength : numberLength(price);
    const volumeLength = numberLength(volume);
    const tickBytes = priceLength + volumeLength + 1;
    const delta = open ? micros - slot.last : 0;
    let extra = open ? tickBytes + numberLength(delta) + 3 : this.groupBytes(slot, micros) + tickBytes + 1;
    if (this.groups.length > 0 && this.bytes + extra > this.maxBytes) {
      this.close();
      open = false;
      extra = this.groupBytes(slot, micros) + tickBytes + 1;
    }
    if (!open) this.openGroup(slot, micros);
    const dt = slot.dt as Column;
    const p = slot.p as Column;
    const q = slot.q as Column;
    if (open) {
      dt.byte(COMMA);
      p.byte(COMMA);
      q.byte(COMMA);
    }
    if (open) dt.number(delta, numberLength(delta));
    else dt.byte(ZERO);
    const priceAt = p.length;
    if (open && samePrice) p.repeat(slot.lastPriceAt, priceLength);
    else p.number(price, priceLength);
    q.number(volume, volumeLength);
    (slot.s as Column).byte(SIDE_CODES[side]);
    slot.last = micros;
    slot.lastPrice = price;
    slot.lastPriceAt = priceAt;
    slot.lastPriceLength = priceLength;
    this.bytes += extra;
  }

  /** Every payload, the partly filled one included; the builder is then empty (its columns go to the
   * next builder). */
  finish(): string[] {
    if (this.textArray) throw new Error('TickPayloadBuilder: built as a text array; take it with finishTextArray()');
    if (this.groups.length > 0) this.close();
    this.releaseColumns();
    return this.payloads.splice(0);
  }

  /** Every payload as one PostgreSQL binary `text[]` (a Buffer parameter node-pg sends as is, for
   * `unnest($n::text[])`), and how many it holds; the builder is then empty. A payload's bytes are
   * written once, where the strings' path had them decoded to a string here, then measured, encoded
   * and copied as the Bind message grew in the database client (a fifth of the pipeline's Node CPU at
   * 100 contracts). */
  finishTextArray(): { readonly count: number; readonly array: Buffer } {
    if (!this.textArray) throw new Error('TickPayloadBuilder: built for strings; take them with finish()');
    if (this.groups.length > 0) this.close();
    this.releaseColumns();
    const array = this.arrayRoom(0).subarray(0, this.arrayAt);
    array.writeInt32BE(1, 0); // one dimension
    array.writeInt32BE(0, 4); // no NULLs
    array.writeInt32BE(TEXT_OID, 8);
    array.writeInt32BE(this.arrayCount, 12);
    array.writeInt32BE(1, 16); // lower bound
    const count = this.arrayCount;
    this.array = undefined;
    this.arrayAt = TEXT_ARRAY_HEADER_BYTES;
    this.arrayCount = 0;
    return { count, array };
  }

  /** The array's buffer with room for `bytes` more after arrayAt (doubling, so each payload byte is
   * copied about once more on average). */
  private arrayRoom(bytes: number): Buffer {
    const need = this.arrayAt + bytes;
    if (this.array && this.array.length >= need) return this.array;
    let size = Math.max(this.array?.length ?? 0, 4 * this.maxBytes);
    while (size < need) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    if (this.array) this.array.copy(grown, 0, 0, this.arrayAt);
    this.array = grown;
    return grown;
  }

  /** The columns go to the next builder. */
  private releaseColumns(): void {
    for (const slot of this.slots.values()) {
      for (const column of [slot.dt, slot.p, slot.q, slot.s]) if (column) spare(column.bytes);
      slot.dt = slot.p = slot.q = slot.s = undefined;
    }
    this.slots.clear();
  }

  private slotOf(contractId: string): Slot {
    let slot = this.slots.get(contractId);
    if (!slot) {
      slot = {
        head: bytesOf(`{"contract_id":${JSON.stringify(contractId)},"t0":`),
        open: false,
        t0: 0,
        last: 0,
        dt: undefined,
        p: undefined,
        q: undefined,
        s: undefined,
        lastPrice: NaN,
        lastPriceAt: 0,
        lastPriceLength: 0,
      };
      this.slots.set(contractId, slot);
    }
    return slot;
  }

  private openGroup(slot: Slot, micros: number): void {
    slot.open = true;
    slot.t0 = micros;
    slot.dt ??= new Column();
    slot.p ??= new Column();
    slot.q ??= new Column();
    slot.s ??= new Column();
    slot.dt.length = slot.p.length = slot.q.length = slot.s.length = 0;
    this.groups.push(slot);
  }

  /** A new group's bytes in the open payload: its separator, head, t0, fixed text and first delta ("0"). */
  private groupBytes(slot: Slot, micros: number): number {
    return (this.groups.length > 0 ? 1 : 0) + slot.head.length + numberLength(micros) + GROUP_FIXED_BYTES + 1;
  }

  /** The open payload, copied once into one buffer and read as one flat string (a rope would be
   * flattened again by the database client's Buffer.byteLength and write). */
  private close(): void {
    let size = PAYLOAD_HEAD_BYTES.length + PAYLOAD_END_BYTES.length + this.groups.length - 1;
    for (const g of this.groups) {
      size += g.head.length + numberLength(g.t0) + GROUP_FIXED_BYTES;
      size += (g.dt as Column).length + (g.p as Column).length + (g.q as Column).length + (g.s as Column).length;
    }
    let out: Buffer;
    let start = 0;
    if (this.textArray) {
      out = this.arrayRoom(4 + size);
      start = this.arrayAt + 4;
    } else {
      if (!this.out || this.out.length < size) this.out = Buffer.allocUnsafe(Math.max(size, this.maxBytes));
      out = this.out;
    }
    let at = put(out, start, PAYLOAD_HEAD_BYTES, PAYLOAD_HEAD_BYTES.length);
    const t0 = this.t0Text;
    for (let k = 0; k < this.groups.length; k++) {
      const g = this.groups[k] as Slot;
      if (k > 0) out[at++] = COMMA;
      at = put(out, at, g.head, g.head.length);
      t0.length = 0;
      t0.number(g.t0, numberLength(g.t0));
      at = put(out, at, t0.bytes, t0.length);
      at = put(out, at, DT_BYTES, DT_BYTES.length);
      at = put(out, at, (g.dt as Column).bytes, (g.dt as Column).length);
      at = put(out, at, PRICES_BYTES, PRICES_BYTES.length);
      at = put(out, at, (g.p as Column).bytes, (g.p as Column).length);
      at = put(out, at, VOLUMES_BYTES, VOLUMES_BYTES.length);
      at = put(out, at, (g.q as Column).bytes, (g.q as Column).length);
      at = put(out, at, SIDES_BYTES, SIDES_BYTES.length);
      at = put(out, at, (g.s as Column).bytes, (g.s as Column).length);
      at = put(out, at, GROUP_END_BYTES, GROUP_END_BYTES.length);
      g.open = false;
    }
    at = put(out, at, PAYLOAD_END_BYTES, PAYLOAD_END_BYTES.length);
    if (this.textArray) {
      out.writeInt32BE(at - start, this.arrayAt);
      this.arrayAt = at;
      this.arrayCount++;
    } else {
      this.payloads.push(out.toString('utf8', 0, at));
    }
    this.groups.length = 0;
    this.bytes = PAYLOAD_FRAME_BYTES;
  }
}
