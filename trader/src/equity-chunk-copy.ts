// A batch of equity points as one row of `COPY equity_chunks FROM STDIN (FORMAT binary)`: each column an
// array with one element per point (bigint money units, timestamptz, float8 position), written straight
// into one buffer: no decimal text to format here or parse in the database.
import { COPY_BINARY_HEADER_BYTES, COPY_BINARY_SIGNATURE, COPY_BINARY_TRAILER, writeMicros } from '@barstream/core/node';
import type { EngineEvent } from '@barstream/core/trading';

type EquityEvent = Extract<EngineEvent, { type: 'equity' }>;

export const COPY_EQUITY_CHUNK =
  'COPY equity_chunks (run_id, first_time, points, "time", cash, equity, position_value, unrealized_pnl, realized_pnl, fees, margin_used, position) FROM STDIN (FORMAT binary)';

const FIELDS = 12;
/** Element type oids of the arrays. */
const INT8_OID = 20;
const FLOAT8_OID = 701;
const TIMESTAMPTZ_OID = 1184;
/** An array's header: dimensions, has-nulls flag, element type, length, lower bound. */
const ARRAY_HEADER = 20;
const ELEMENT = 4 + 8;
const TWO_32 = 2 ** 32;

/** The whole COPY input (header, one tuple, trailer) for `points` (at least one, in time order). */
export function equityChunkCopy(runId: number, points: readonly EquityEvent[]): Buffer {
  const n = points.length;
  const first = points[0];
  if (!first) throw new RangeError('equityChunkCopy: no points');
  const arrayBytes = ARRAY_HEADER + n * ELEMENT;
  const size = COPY_BINARY_HEADER_BYTES + 2 + (4 + 8) * 2 + (4 + 4) + 9 * (4 + arrayBytes) + 2;
  const buf = Buffer.allocUnsafe(size);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  COPY_BINARY_SIGNATURE.copy(buf, 0);
  view.setInt32(COPY_BINARY_SIGNATURE.length, 0);
  view.setInt32(COPY_BINARY_SIGNATURE.length + 4, 0);
  let at = COPY_BINARY_HEADER_BYTES;
  view.setInt16(at, FIELDS);
  at += 2;
  view.setInt32(at, 8);
  setInt64(view, at + 4, runId);
  at += 12;
  view.setInt32(at, 8);
  writeMicros(view, at + 4, first.time);
  at += 12;
  view.setInt32(at, 4);
  view.setInt32(at + 4, n);
  at += 8;
  // The nine arrays' headers, then one pass over the points writing each point's element of every array.
  const oids = [TIMESTAMPTZ_OID, INT8_OID, INT8_OID, INT8_OID, INT8_OID, INT8_OID, INT8_OID, INT8_OID, FLOAT8_OID];
  const base: number[] = [];
  for (const oid of oids) {
    view.setInt32(at, arrayBytes);
    view.setInt32(at + 4, 1);
    view.setInt32(at + 8, 0);
    view.setInt32(at + 12, oid);
    view.setInt32(at + 16, n);
    view.setInt32(at + 20, 1);
    base.push(at + 4 + ARRAY_HEADER);
    at += 4 + arrayBytes;
  }
  const [t, cash, equity, value, unrealized, realized, fees, margin, position] = base as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  for (let i = 0, o = 0; i < n; i++, o += ELEMENT) {
    const p = points[i] as EquityEvent;
    view.setInt32(t + o, 8);
    writeMicros(view, t + o + 4, p.time);
    element(view, cash + o, p.cash);
    element(view, equity + o, p.equity);
    element(view, value + o, p.positionValue);
    element(view, unrealized + o, p.unrealizedPnl);
    element(view, realized + o, p.realizedPnl);
    element(view, fees + o, p.fees);
    element(view, margin + o, p.marginUsed);
    view.setInt32(position + o, 8);
    view.setFloat64(position + o + 4, p.position);
  }
  view.setInt16(at, COPY_BINARY_TRAILER);
  return buf;
}

/** An int8 array element: its length, then the value. */
function element(view: DataView, at: number, value: number): void {
  view.setInt32(at, 8);
  setInt64(view, at + 4, value);
}

/** A safe integer as a big-endian int64, in two 32-bit halves (a BigInt per value costs more than the rest). */
function setInt64(view: DataView, at: number, value: number): void {
  const hi = Math.floor(value / TWO_32);
  view.setInt32(at, hi);
  view.setUint32(at + 4, value - hi * TWO_32);
}
