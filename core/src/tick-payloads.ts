// Packs ticks into tick_data_channel payloads that each stay under NOTIFY's size limit, one tick at
// a time (so the ingester can build them while its COPY of the same ticks is in flight).
import { MAX_NOTIFY_PAYLOAD_BYTES } from './channels.ts';
import { isoWithMicros, type Trade } from './schemas/tick.ts';

const utf8 = new TextEncoder();

interface OpenPayload {
  readonly head: string;
  readonly headBytes: number;
  parts: string[];
  bytes: number;
}

/** Ticks in, payloads out: each contract's ticks in order, split where a payload would reach `maxBytes`. */
export class TickPayloadBuilder {
  private readonly open = new Map<string, OpenPayload>();
  private readonly payloads: string[] = [];

  constructor(private readonly maxBytes = MAX_NOTIFY_PAYLOAD_BYTES) {}

  /** `iso` may carry the trade's time already formatted (saves formatting it twice). */
  add(trade: Trade, iso = isoWithMicros(trade.time)): void {
    let open = this.open.get(trade.contractId);
    if (!open) {
      const head = `{"type":"ticks","contract_id":${JSON.stringify(trade.contractId)},"ticks":[`;
      const headBytes = utf8.encode(head).length + 2; // + "]}"
      open = { head, headBytes, parts: [], bytes: headBytes };
      this.open.set(trade.contractId, open);
    }
    // Only the contract id can hold non-ASCII text: a tick's JSON is as many bytes as characters.
    const json = `{"timestamp":"${iso}","price":${trade.price},"volume":${trade.volume},"side":"${trade.side}"}`;
    const extra = json.length + (open.parts.length > 0 ? 1 : 0);
    if (open.parts.length > 0 && open.bytes + extra > this.maxBytes) {
      this.close(open);
      open.parts = [];
      open.bytes = open.headBytes;
    }
    open.bytes += json.length + (open.parts.length > 0 ? 1 : 0);
    open.parts.push(json);
  }

  /** Every payload, the partly filled ones included; the builder is then empty. */
  finish(): string[] {
    for (const open of this.open.values()) if (open.parts.length > 0) this.close(open);
    this.open.clear();
    return this.payloads.splice(0);
  }

  private close(open: OpenPayload): void {
    this.payloads.push(`${open.head}${open.parts.join(',')}]}`);
  }
}

/** One contract's ticks as payloads. `isoTimes[i]` may carry trades[i]'s time already formatted. */
export function tickPayloads(
  contractId: string,
  trades: readonly Trade[],
  maxBytes = MAX_NOTIFY_PAYLOAD_BYTES,
  isoTimes?: readonly string[],
): string[] {
  const builder = new TickPayloadBuilder(maxBytes);
  trades.forEach((t, i) => builder.add(t.contractId === contractId ? t : { ...t, contractId }, isoTimes?.[i]));
  return builder.finish();
}
