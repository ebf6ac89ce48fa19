// Packs ticks of any number of contracts into tick_data_channel payloads in the columnar form
// (tickColumnsMessageSchema), each under NOTIFY's size limit: one payload holds several contracts'
// ticks, so a flush sends about one NOTIFY per 8,000 bytes of ticks however many contracts traded.
// A tick costs ~17 bytes (a time delta, price, volume, one side letter) where the object form took
// ~85, and no ISO time is formatted: every byte of a payload is PostgreSQL CPU (Bind, pg_notify, the
// notify queue) and the broadcaster's. Ticks go in one at a time, so the ingester builds the payloads
// while its COPY of the same ticks is in flight.
import { MAX_NOTIFY_PAYLOAD_BYTES } from './channels.ts';
import { SIDE_CHARS, TICK_COLUMNS_VERSION, type Trade, type TradeSide } from './schemas/tick.ts';

const utf8 = new TextEncoder();
const PAYLOAD_HEAD = `{"type":"tick_columns","v":${TICK_COLUMNS_VERSION},"contracts":[`;
/** The payload's head and its closing "]}". */
const PAYLOAD_FRAME_BYTES = PAYLOAD_HEAD.length + 2;
const PRICES = '],"p":[';
const VOLUMES = '],"q":[';
const SIDES = '],"s":"';
const GROUP_END = '"}';
/** A group's fixed text around its contract head and t0: `,"dt":[`, the three column openers, its end. */
const GROUP_FIXED_BYTES = ',"dt":['.length + PRICES.length + VOLUMES.length + SIDES.length + GROUP_END.length;

interface Group {
  readonly head: string;
  readonly t0: number;
  /** The last tick's time (µs): the next delta's base. */
  last: number;
  readonly dt: string[];
  readonly p: string[];
  readonly q: string[];
  s: string;
  /** The last price and its text: prices repeat tick after tick, their decimal text need not be made again. */
  lastPrice: number;
  lastPriceText: string;
}

/** Ticks in, payloads out; each contract's ticks stay in order across payloads. */
export class TickPayloadBuilder {
  private groups = new Map<string, Group>();
  private bytes = PAYLOAD_FRAME_BYTES;
  private readonly payloads: string[] = [];
  /** A contract's `{"contract_id":…,"t0":` and its UTF-8 bytes. */
  private readonly heads = new Map<string, { text: string; bytes: number }>();

  constructor(private readonly maxBytes = MAX_NOTIFY_PAYLOAD_BYTES) {}

  add(trade: Trade): void {
    this.addTick(trade.contractId, Math.round(trade.time * 1000), trade.price, trade.volume, trade.side);
  }

  /** A tick by its fields, its time in whole epoch microseconds (as the COPY stores it). */
  addTick(contractId: string, micros: number, price: number, volume: number, side: TradeSide): void {
    let group = this.groups.get(contractId);
    const priceText = group?.lastPrice === price ? group.lastPriceText : String(price);
    const volumeText = String(volume);
    const tickBytes = priceText.length + volumeText.length + 1;
    let deltaText = group ? String(micros - group.last) : '';
    let extra = group ? tickBytes + deltaText.length + 3 : this.groupBytes(contractId, micros) + tickBytes + 1;
    if (this.groups.size > 0 && this.bytes + extra > this.maxBytes) {
      this.close();
      group = undefined;
      extra = this.groupBytes(contractId, micros) + tickBytes + 1;
    }
    if (!group) {
      group = {
        head: `${this.headOf(contractId).text}${micros},"dt":[`,
        t0: micros,
        last: micros,
        dt: [],
        p: [],
        q: [],
        s: '',
        lastPrice: price,
        lastPriceText: priceText,
      };
      this.groups.set(contractId, group);
      deltaText = '0';
    }
    group.dt.push(deltaText);
    group.p.push(priceText);
    group.q.push(volumeText);
    group.s += SIDE_CHARS[side];
    group.last = micros;
    group.lastPrice = price;
    group.lastPriceText = priceText;
    this.bytes += extra;
  }

  /** Every payload, the partly filled one included; the builder is then empty. */
  finish(): string[] {
    if (this.groups.size > 0) this.close();
    return this.payloads.splice(0);
  }

  /** A new group's bytes in the open payload: its separator, head, t0, fixed text and first delta ("0"). */
  private groupBytes(contractId: string, micros: number): number {
    return (this.groups.size > 0 ? 1 : 0) + this.headOf(contractId).bytes + String(micros).length + GROUP_FIXED_BYTES + 1;
  }

  private headOf(contractId: string): { text: string; bytes: number } {
    let head = this.heads.get(contractId);
    if (!head) {
      const text = `{"contract_id":${JSON.stringify(contractId)},"t0":`;
      head = { text, bytes: utf8.encode(text).length };
      this.heads.set(contractId, head);
    }
    return head;
  }

  /** One join over every piece: the payload is one flat string. Concatenated (`+=`, templates around a
   * join) it was a rope that the database client's Buffer.byteLength and write each flattened again, 8 kB
   * copies that lived long enough to be promoted (a third of what survived a scavenge in bench:ingest). */
  private close(): void {
    const pieces: string[] = [PAYLOAD_HEAD];
    let first = true;
    for (const g of this.groups.values()) {
      if (!first) pieces.push(',');
      first = false;
      pieces.push(g.head, g.dt.join(','), PRICES, g.p.join(','), VOLUMES, g.q.join(','), SIDES, g.s, GROUP_END);
    }
    pieces.push(']}');
    this.payloads.push(pieces.join(''));
    this.groups = new Map();
    this.bytes = PAYLOAD_FRAME_BYTES;
  }
}
