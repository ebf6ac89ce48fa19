// PostgreSQL's binary COPY format, as every binary COPY reader and writer here uses it: the file
// header, the trailer, and timestamptz (a signed 64-bit count of microseconds from
// 2000-01-01T00:00:00Z, written and read as two 32-bit halves: a BigInt per bar would cost more than
// the rest of the row).

/** The 11-byte signature that opens every binary COPY stream. */
export const COPY_BINARY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Signature, then 32-bit flags and header-extension length (both zero when we write). */
export const COPY_BINARY_HEADER_BYTES = COPY_BINARY_SIGNATURE.length + 8;
/** A tuple's field count of -1 ends the stream. */
export const COPY_BINARY_TRAILER = -1;

/** PostgreSQL's epoch (2000-01-01T00:00:00Z) in Unix epoch milliseconds. */
export const PG_EPOCH_MS = 946_684_800_000;
const TWO_32 = 2 ** 32;
/** Within this many ms of the PostgreSQL epoch (±278 years), ms × 1000 is exact in a double (< 2^53). */
const EXACT_MS = 2 ** 43;
/** High halves whose microseconds are exact in a double: |micros| < 2^53. */
const EXACT_HIGH = 2 ** 21;

/** Writes epoch milliseconds `ms` (a whole number) at `at` as 8 bytes of PostgreSQL microseconds. */
export function writeMicros(view: DataView, at: number, ms: number): void {
  const d = ms - PG_EPOCH_MS;
  if (d > -EXACT_MS && d < EXACT_MS) {
    const micros = d * 1000;
    const hi = Math.floor(micros / TWO_32);
    view.setInt32(at, hi);
    view.setUint32(at + 4, micros - hi * TWO_32);
  } else {
    view.setBigInt64(at, BigInt(d) * 1000n);
  }
}

/**
 * The epoch milliseconds of the 8-byte timestamp at `at`, or NaN when it is not a whole millisecond
 * in the exact range: NaN equals no bar time, so such a stored row never counts as unchanged.
 */
export function readMs(view: DataView, at: number): number {
  const hi = view.getInt32(at);
  if (hi < -EXACT_HIGH || hi >= EXACT_HIGH) return NaN;
  const micros = hi * TWO_32 + view.getUint32(at + 4);
  return micros % 1000 === 0 ? micros / 1000 + PG_EPOCH_MS : NaN;
}
