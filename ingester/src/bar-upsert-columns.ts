// A flush's bars as the bar upsert's eleven parameters, each one column as a PostgreSQL binary array
// (node-pg sends a Buffer parameter in binary format): Node escapes no array literal and formats no
// time, PostgreSQL parses no float, timestamp or array text (array_in, float8in and timestamptz_in
// cost more than the upsert's row work at 600 forming bars a flush).
import { type ContractBar, formatTimeframe } from '@barstream/core';
import { writeMicros } from '@barstream/core/node';

/** Element type OIDs (pg_type), which array_recv checks against the parameter's declared type. */
const OID = { bool: 16, int2: 21, int4: 23, text: 25, float8: 701, timestamptz: 1184 } as const;
/** ndim, has-nulls flag, element type, then one dimension's length and lower bound. */
const HEADER_BYTES = 20;

/** `widthOf(i)` bytes for element i, written by `write(view, at, i)` after its 4-byte length. */
function binaryArray(
  oid: number,
  n: number,
  widthOf: (i: number) => number,
  write: (buffer: Buffer, view: DataView, at: number, i: number) => void,
): Buffer {
  let size = HEADER_BYTES;
  for (let i = 0; i < n; i++) size += 4 + widthOf(i);
  const buffer = Buffer.allocUnsafe(size);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  view.setInt32(0, 1);
  view.setInt32(4, 0);
  view.setInt32(8, oid);
  view.setInt32(12, n);
  view.setInt32(16, 1);
  let at = HEADER_BYTES;
  for (let i = 0; i < n; i++) {
    const width = widthOf(i);
    view.setInt32(at, width);
    write(buffer, view, at + 4, i);
    at += 4 + width;
  }
  return buffer;
}

const float8s = (values: readonly number[]): Buffer =>
  binaryArray(
    OID.float8,
    values.length,
    () => 8,
    (_, view, at, i) => view.setFloat64(at, values[i] as number),
  );

const texts = (values: readonly string[]): Buffer => {
  const widths = values.map((v) => Buffer.byteLength(v));
  return binaryArray(
    OID.text,
    values.length,
    (i) => widths[i] as number,
    (buffer, _, at, i) => buffer.write(values[i] as string, at, 'utf8'),
  );
};

/** The columns in UPSERT_BARS's parameter order: contract, time, open, high, low, close, volume,
 * timeframe unit, value and label, closed. */
export function barUpsertColumns(bars: readonly ContractBar[]): Buffer[] {
  const n = bars.length;
  const pick = <T>(of: (b: ContractBar) => T): T[] => bars.map(of);
  return [
    texts(pick((b) => b.contractId)),
    binaryArray(
      OID.timestamptz,
      n,
      () => 8,
      (_, view, at, i) => writeMicros(view, at, (bars[i] as ContractBar).time),
    ),
    float8s(pick((b) => b.open)),
    float8s(pick((b) => b.high)),
    float8s(pick((b) => b.low)),
    float8s(pick((b) => b.close)),
    float8s(pick((b) => b.volume)),
    binaryArray(
      OID.int2,
      n,
      () => 2,
      (_, view, at, i) => view.setInt16(at, (bars[i] as ContractBar).unit),
    ),
    binaryArray(
      OID.int4,
      n,
      () => 4,
      (_, view, at, i) => view.setInt32(at, (bars[i] as ContractBar).value),
    ),
    texts(pick((b) => formatTimeframe({ unit: b.unit, value: b.value }))),
    binaryArray(
      OID.bool,
      n,
      () => 1,
      (_, view, at, i) => view.setUint8(at, (bars[i] as ContractBar).isClosed ? 1 : 0),
    ),
  ];
}
