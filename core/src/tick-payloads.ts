// Packs ticks of any number of contracts into tick_data_channel payloads, each under NOTIFY's size
// limit: one payload holds several contracts' ticks (multiContractTicksMessageSchema), so a flush
// sends about one NOTIFY per 8,000 bytes of ticks however many contracts traded. Ticks go in one at a
// time, so the ingester builds the payloads while its COPY of the same ticks is in flight.
import { MAX_NOTIFY_PAYLOAD_BYTES } from './channels.ts';
import { isoWithMicros, type Trade, type TradeSide } from './schemas/tick.ts';

const utf8 = new TextEncoder();
const PAYLOAD_HEAD = '{"type":"ticks","contracts":[';
/** The payload's head and its closing "]}". */
const PAYLOAD_FRAME_BYTES = PAYLOAD_HEAD.length + 2;

interface Group {
  readonly head: string;
  readonly parts: string[];
}

/** Ticks in, payloads out; each contract's ticks stay in order across payloads. */
export class TickPayloadBuilder {
  private groups = new Map<string, Group>();
  private bytes = PAYLOAD_FRAME_BYTES;
  private readonly payloads: string[] = [];
  /** A contract's group head and its bytes with the group's closing "]}". */
  private readonly heads = new Map<string, { head: string; bytes: number }>();

  constructor(private readonly maxBytes = MAX_NOTIFY_PAYLOAD_BYTES) {}

  /** `iso` may carry the trade's time already formatted (saves formatting it twice). */
  add(trade: Trade, iso = isoWithMicros(trade.time)): void {
    this.addTick(trade.contractId, iso, trade.price, trade.volume, trade.side);
  }

  /** A tick by its fields (the ingester's columnar buffer has no Trade object to hand). */
  addTick(contractId: string, iso: string, price: number, volume: number, side: TradeSide): void {
    // Only the contract id can hold non-ASCII text: a tick's JSON is as many bytes as characters.
    const json = `{"timestamp":"${iso}","price":${price},"volume":${volume},"side":"${side}"}`;
    let group = this.groups.get(contractId);
    let extra = this.extraBytes(contractId, group, json);
    if (this.groups.size > 0 && this.bytes + extra > this.maxBytes) {
      this.close();
      group = undefined;
      extra = this.extraBytes(contractId, group, json);
    }
    if (!group) {
      group = { head: this.headOf(contractId).head, parts: [] };
      this.groups.set(contractId, group);
    }
    group.parts.push(json);
    this.bytes += extra;
  }

  /** Every payload, the partly filled one included; the builder is then empty. */
  finish(): string[] {
    if (this.groups.size > 0) this.close();
    return this.payloads.splice(0);
  }

  /** What adding `json` to the open payload costs: a separator, and a group head if the contract has none yet. */
  private extraBytes(contractId: string, group: Group | undefined, json: string): number {
    if (group) return json.length + 1;
    return this.headOf(contractId).bytes + json.length + (this.groups.size > 0 ? 1 : 0);
  }

  private headOf(contractId: string): { head: string; bytes: number } {
    let head = this.heads.get(contractId);
    if (!head) {
      const text = `{"contract_id":${JSON.stringify(contractId)},"ticks":[`;
      head = { head: text, bytes: utf8.encode(text).length + 2 };
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
      pieces.push(g.head);
      g.parts.forEach((part, i) => {
        if (i > 0) pieces.push(',');
        pieces.push(part);
      });
      pieces.push(']}');
    }
    pieces.push(']}');
    this.payloads.push(pieces.join(''));
    this.groups = new Map();
    this.bytes = PAYLOAD_FRAME_BYTES;
  }
}
