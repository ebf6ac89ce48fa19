// Splits a contract's ticks into tick_data_channel payloads that each stay under NOTIFY's size limit.
import { MAX_NOTIFY_PAYLOAD_BYTES } from './channels.ts';
import { isoWithMicros, type Trade } from './schemas/tick.ts';

/** `isoTimes[i]` may carry trades[i]'s time already formatted (saves formatting it twice). */
export function tickPayloads(
  contractId: string,
  trades: readonly Trade[],
  maxBytes = MAX_NOTIFY_PAYLOAD_BYTES,
  isoTimes?: readonly string[],
): string[] {
  const head = `{"type":"ticks","contract_id":${JSON.stringify(contractId)},"ticks":[`;
  const headBytes = new TextEncoder().encode(head).length + 2; // + "]}"
  const payloads: string[] = [];
  let parts: string[] = [];
  let bytes = headBytes;
  for (let i = 0; i < trades.length; i++) {
    const t = trades[i] as Trade;
    const json = `{"timestamp":"${isoTimes?.[i] ?? isoWithMicros(t.time)}","price":${t.price},"volume":${t.volume},"side":"${t.side}"}`;
    const extra = json.length + (parts.length > 0 ? 1 : 0);
    if (parts.length > 0 && bytes + extra > maxBytes) {
      payloads.push(`${head}${parts.join(',')}]}`);
      parts = [];
      bytes = headBytes;
    }
    bytes += json.length + (parts.length > 0 ? 1 : 0);
    parts.push(json);
  }
  if (parts.length > 0) payloads.push(`${head}${parts.join(',')}]}`);
  return payloads;
}
