// A batch of equity points as one row of `COPY equity_chunks FROM STDIN (FORMAT binary)`: each column an
// array with one element per point (bigint money units, timestamptz, float8 position), written straight
// into one buffer: no decimal text to format here or parse in the database. Equity is not stored: it is
// cash + position value (migration 016; the view run_equity adds them).
import { COPY_BINARY_HEADER_BYTES, COPY_BINARY_SIGNATURE, COPY_BINARY_TRAILER, writeMicros } from '@barstream/core/node';
import type { EngineEvent } from '@barstream/core/trading';

type EquityEvent = Extract<EngineEvent, { type: 'equity' }>;

export const COPY_EQUITY_CHUNK =
  'COPY equity_chunks (run_id, first_time, points, "time", cash, position_value, unrealized_pnl, realized_pnl, fees, margin_used, position) FROM STDIN (FORMAT binary)';

const FIELDS = 11;
/** Element type oids of the arrays. */
const INT8_OID = 20;
const FLOAT8_OID = 701;
const TIMESTAMPTZ_OID = 1184;
/** An array's header: dimensions, has-nulls flag, element type, length, lower bound. */
const ARRAY_HEADER = 20;
const ELEMENT = 4 + 8;
const TWO_32 = 2 ** 32;
/** cash, position value, unrealized and realized PnL, fees, margin used: bigint arrays of money. */
const MONEY_COLUMNS = 6;

/** A batch's equity points as columns of numbers, taken as the engine emits them, so the points' objects
 * die young instead of waiting in a list for their batch's COPY (a million of them per million bars). */
export class EquityColumns {
  private time = new Float64Array(1024);
  private money = new Float64Array(1024 * MONEY_COLUMNS);
  private position = new Float64Array(1024);
  private n = 0;
  private readonly buffers: [Buffer | undefined, Buffer | undefined] = [undefined, undefined];
  private turn = 0;

  get length(): number {
    return this.n;
  }

  /** The last point's equity (undefined with none). */
  get lastEquity(): number | undefined {
    const m = (this.n - 1) * MONEY_COLUMNS;
    return this.n === 0 ? undefined : (this.money[m] as number) + (this.money[m + 1] as number);
  }

  add(p: EquityEvent): void {
    if (this.n === this.time.length) this.grow();
    const i = this.n++;
    const m = i * MONEY_COLUMNS;
    this.time[i] = p.time;
    this.money[m] = p.cash;
    this.money[m + 1] = p.positionValue;
    this.money[m + 2] = p.unrealizedPnl;
    this.money[m + 3] = p.realizedPnl;
    this.money[m + 4] = p.fees;
    this.money[m + 5] = p.marginUsed;
    this.position[i] = p.position;
  }

  /** The whole COPY input (header, one tuple, trailer) for the points so far (at least one, in time
   * order), which it then forgets. The input is written into one of two buffers used in turn, so it stays
   * valid until the second take after this one: a batch is sent while the next is encoded, and has been
   * sent before the one after that is taken (backtest-run.ts awaits each batch's transaction before it
   * starts the next). Fresh buffers per batch cost the first backtest of a process a page fault per
   * 4 KiB of them. */
  take(runId: number): Buffer {
    const n = this.n;
    if (n === 0) throw new RangeError('EquityColumns.take: no points');
    const arrayBytes = ARRAY_HEADER + n * ELEMENT;
    const size = COPY_BINARY_HEADER_BYTES + 2 + (4 + 8) * 2 + (4 + 4) + (2 + MONEY_COLUMNS) * (4 + arrayBytes) + 2;
    const buf = this.buffer(size);
    const view = new DataView(buf.buffer, buf.byteOffset, size);
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
    writeMicros(view, at + 4, this.time[0] as number);
    at += 12;
    view.setInt32(at, 4);
    view.setInt32(at + 4, n);
    at += 8;
    // Each array: its header, then its elements, a column at a time.
    at = writeTimes(view, arrayHeader(view, at, arrayBytes, TIMESTAMPTZ_OID, n), this.time, n);
    for (let c = 0; c < MONEY_COLUMNS; c++) at = writeMoney(view, arrayHeader(view, at, arrayBytes, INT8_OID, n), this.money, c, n);
    at = writeFloats(view, arrayHeader(view, at, arrayBytes, FLOAT8_OID, n), this.position, n);
    view.setInt16(at, COPY_BINARY_TRAILER);
    this.n = 0;
    return buf.subarray(0, size);
  }

  /** The next of the two buffers, at least `size` bytes. */
  private buffer(size: number): Buffer {
    const turn = this.turn;
    this.turn = 1 - turn;
    let buf = this.buffers[turn];
    if (buf === undefined || buf.length < size) {
      // Room for an eighth more points: a batch's count varies a little with its signals.
      buf = Buffer.allocUnsafe(size + (size >> 3));
      this.buffers[turn] = buf;
    }
    return buf;
  }

  private grow(): void {
    const size = this.time.length * 2;
    const time = new Float64Array(size);
    time.set(this.time);
    const money = new Float64Array(size * MONEY_COLUMNS);
    money.set(this.money);
    const position = new Float64Array(size);
    position.set(this.position);
    [this.time, this.money, this.position] = [time, money, position];
  }
}

// The columns' loops are plain functions of their arguments (no closure over the offset): V8 optimises
// each once, early in a process's first backtest, and every column of a kind runs the same code.

/** An array field's length and header at `at`; returns where its elements start. */
function arrayHeader(view: DataView, at: number, arrayBytes: number, oid: number, n: number): number {
  view.setInt32(at, arrayBytes);
  view.setInt32(at + 4, 1);
  view.setInt32(at + 8, 0);
  view.setInt32(at + 12, oid);
  view.setInt32(at + 16, n);
  view.setInt32(at + 20, 1);
  return at + 4 + ARRAY_HEADER;
}

/** `n` timestamptz elements from epoch ms at `o`; returns the offset after them. */
function writeTimes(view: DataView, o: number, time: Float64Array, n: number): number {
  for (let i = 0; i < n; i++, o += ELEMENT) {
    view.setInt32(o, 8);
    writeMicros(view, o + 4, time[i] as number);
  }
  return o;
}

/** `n` int8 elements of money column `c` (of MONEY_COLUMNS interleaved) at `o`; returns the offset after them. */
function writeMoney(view: DataView, o: number, money: Float64Array, c: number, n: number): number {
  for (let i = 0, m = c; i < n; i++, o += ELEMENT, m += MONEY_COLUMNS) {
    view.setInt32(o, 8);
    setInt64(view, o + 4, money[m] as number);
  }
  return o;
}

/** `n` float8 elements at `o`; returns the offset after them. */
function writeFloats(view: DataView, o: number, values: Float64Array, n: number): number {
  for (let i = 0; i < n; i++, o += ELEMENT) {
    view.setInt32(o, 8);
    view.setFloat64(o + 4, values[i] as number);
  }
  return o;
}

/** A safe integer as a big-endian int64, in two 32-bit halves (a BigInt per value costs more than the rest). */
function setInt64(view: DataView, at: number, value: number): void {
  const hi = Math.floor(value / TWO_32);
  view.setInt32(at, hi);
  view.setUint32(at + 4, value - hi * TWO_32);
}
