// Bars sent by PostgreSQL in their binary form (a page of `timestamptz_send(t) || float8send(open)
// || … || boolsend(is_closed)`, 49 bytes a bar) written as /api/ohlc's JSON: the same text as
// ohlc-json.ts writes for the same bars. Formatting the doubles here rather than in PostgreSQL
// (float8out, then to_char for the time) took the streamed answer's CPU from about 4.4 to ~2 µs a bar.
import { BarstreamError } from '@barstream/core';
import { isoFromEpochMs } from '../queries/iso-time.ts';

/** timestamptz (8) + open, high, low, close, volume (8 each) + is_closed (1). */
export const BINARY_BAR_BYTES = 49;
/** PostgreSQL's epoch (2000-01-01T00:00:00Z) in Unix epoch milliseconds. */
const PG_EPOCH_MS = 946_684_800_000;
const TWO_32 = 2 ** 32;
/** High halves whose microseconds are exact in a double (|micros| < 2^53): ±142 years of 2000. */
const EXACT_HIGH = 2 ** 21;

/** Epoch ms (floored) of the timestamptz at `at`: microseconds since 2000-01-01. */
export function epochMs(view: DataView, at: number): number {
  const hi = view.getInt32(at);
  if (hi >= -EXACT_HIGH && hi < EXACT_HIGH) return Math.floor((hi * TWO_32 + view.getUint32(at + 4)) / 1000) + PG_EPOCH_MS;
  const micros = view.getBigInt64(at);
  const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  return Number(ms) + PG_EPOCH_MS;
}

/** Bytes a bar's JSON object can take (a comma before it included): the fixed keys are 75, a
 * timestamp at most 27 (±YYYYYY), a double at most 24 (-1.2345678901234567e-308); 256 is ample. */
const MAX_BAR_JSON_BYTES = 256;

/** The bars' JSON objects joined with commas (what goes between `[` and `]`), as UTF-8 bytes. Each
 * object is written into one buffer as it is made: joining 10,000 strings of 15 pieces each (and
 * encoding the result) cost three times what making them did. The text is ASCII only (digits,
 * fixed keys, ISO times), so a latin1 write is its UTF-8. */
export function binaryBarsJson(bytes: Uint8Array, contractId: string): Buffer {
  if (bytes.byteLength % BINARY_BAR_BYTES !== 0) {
    throw new BarstreamError('internal', `a page of binary bars is ${bytes.byteLength} bytes, not a multiple of ${BINARY_BAR_BYTES}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = bytes.byteLength / BINARY_BAR_BYTES;
  const out = Buffer.allocUnsafe(count * MAX_BAR_JSON_BYTES);
  let o = 0;
  for (let i = 0, at = 0; i < count; i++, at += BINARY_BAR_BYTES) {
    const open = view.getFloat64(at + 8);
    const high = view.getFloat64(at + 16);
    const low = view.getFloat64(at + 24);
    const close = view.getFloat64(at + 32);
    const volume = view.getFloat64(at + 40);
    // JSON has no NaN or Infinity (the wire schema's z.number() refuses them); the writers never
    // store them, but a row written by hand could.
    if (!(Number.isFinite(open) && Number.isFinite(high) && Number.isFinite(low) && Number.isFinite(close) && Number.isFinite(volume))) {
      throw new BarstreamError('stored_bar_not_finite', `a stored bar of ${contractId} is not finite (NaN or Infinity)`);
    }
    // A finite number's template text is JSON.stringify's (-0 included: both write 0).
    const text =
      `${i === 0 ? '' : ','}{"timestamp":"${isoFromEpochMs(epochMs(view, at))}","open":${open},"high":${high},"low":${low},` +
      `"close":${close},"volume":${volume},"is_closed":${view.getUint8(at + 48) !== 0}}`;
    if (text.length > MAX_BAR_JSON_BYTES) throw new BarstreamError('internal', `a bar's JSON is longer than ${MAX_BAR_JSON_BYTES} bytes`);
    o += out.write(text, o, 'latin1');
  }
  return out.subarray(0, o);
}
