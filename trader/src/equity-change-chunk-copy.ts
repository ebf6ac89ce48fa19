// A batch of equity points as one row of `COPY equity_change_chunks FROM STDIN (FORMAT binary)` (migration
// 021): each value stored once per change. Cash, realized PnL, fees and position go as spans of equal
// values (they change at fills only), margin used as spans of its own, times as spans of even steps, the
// unrealized PnL only when it differs from the position value (a futures run's never does); the position
// value keeps an element per point. A million bars' 8 million array elements become ~1.5 million: the
// database receives and stores each one. Written straight into one buffer: no decimal text to format here
// or parse in the database. The view run_equity expands the spans into the same rows as before.
import { COPY_BINARY_HEADER_BYTES, COPY_BINARY_SIGNATURE, COPY_BINARY_TRAILER, writeMicros } from '@barstream/core/node';
import type { EngineEvent } from '@barstream/core/trading';

type EquityEvent = Extract<EngineEvent, { type: 'equity' }>;

export const COPY_EQUITY_CHANGE_CHUNK =
  'COPY equity_change_chunks (run_id, first_time, points, time_starts, time_steps, time_counts, position_value, unrealized_pnl, ' +
  'account_counts, cash, realized_pnl, fees, position, margin_counts, margin_used) FROM STDIN (FORMAT binary)';

const FIELDS = 15;
/** Element type oids of the arrays. */
const INT4_OID = 23;
const INT8_OID = 20;
const FLOAT8_OID = 701;
const TIMESTAMPTZ_OID = 1184;
/** An array's header: dimensions, has-nulls flag, element type, length, lower bound. */
const ARRAY_HEADER = 20;
const TWO_32 = 2 ** 32;
const INITIAL = 1024;

/** A growable column of numbers. */
class Column {
  values: Float64Array;
  constructor(size = INITIAL) {
    this.values = new Float64Array(size);
  }
  /** Room for element `i`. */
  fit(i: number): Float64Array {
    if (i === this.values.length) {
      const grown = new Float64Array(i * 2);
      grown.set(this.values);
      this.values = grown;
    }
    return this.values;
  }
}

/** A batch's equity points as spans and columns of numbers, taken as the engine emits them, so the points'
 * objects die young instead of waiting in a list for their batch's COPY. */
export class EquityColumns {
  private n = 0;
  // per point
  private readonly positionValue = new Column();
  private readonly unrealized = new Column();
  private unrealizedIsValue = true;
  // time spans: start (epoch ms), step (ms), count; a span grows only over whole milliseconds
  private readonly timeStart = new Column();
  private readonly timeStep = new Column();
  private readonly timeCount = new Column();
  private timeSpans = 0;
  private lastTime = NaN;
  // account spans: cash, realized PnL, fees, position, count
  private readonly cash = new Column();
  private readonly realized = new Column();
  private readonly fees = new Column();
  private readonly position = new Column();
  private readonly accountCount = new Column();
  private accountSpans = 0;
  // margin spans
  private readonly margin = new Column();
  private readonly marginCount = new Column();
  private marginSpans = 0;
  private readonly buffers: [Buffer | undefined, Buffer | undefined] = [undefined, undefined];
  private turn = 0;

  get length(): number {
    return this.n;
  }

  /** The last point's equity (undefined with none). */
  get lastEquity(): number | undefined {
    if (this.n === 0) return undefined;
    return (this.cash.values[this.accountSpans - 1] as number) + (this.positionValue.values[this.n - 1] as number);
  }

  add(p: EquityEvent): void {
    const i = this.n++;
    this.positionValue.fit(i)[i] = p.positionValue;
    this.unrealized.fit(i)[i] = p.unrealizedPnl;
    if (p.unrealizedPnl !== p.positionValue) this.unrealizedIsValue = false;
    this.addTime(p.time);
    const a = this.accountSpans - 1;
    if (
      a >= 0 &&
      this.cash.values[a] === p.cash &&
      this.realized.values[a] === p.realizedPnl &&
      this.fees.values[a] === p.fees &&
      Object.is(this.position.values[a], p.position)
    ) {
      (this.accountCount.values[a] as number)++;
    } else {
      const s = this.accountSpans++;
      this.cash.fit(s)[s] = p.cash;
      this.realized.fit(s)[s] = p.realizedPnl;
      this.fees.fit(s)[s] = p.fees;
      this.position.fit(s)[s] = p.position;
      this.accountCount.fit(s)[s] = 1;
    }
    const m = this.marginSpans - 1;
    if (m >= 0 && this.margin.values[m] === p.marginUsed) (this.marginCount.values[m] as number)++;
    else {
      const s = this.marginSpans++;
      this.margin.fit(s)[s] = p.marginUsed;
      this.marginCount.fit(s)[s] = 1;
    }
  }

  private addTime(t: number): void {
    const s = this.timeSpans - 1;
    const last = this.lastTime;
    this.lastTime = t;
    if (s >= 0 && Number.isInteger(t) && Number.isInteger(last)) {
      const count = this.timeCount.values[s] as number;
      const step = t - last;
      if (count === 1) {
        this.timeStep.values[s] = step;
        this.timeCount.values[s] = 2;
        return;
      }
      if (step === this.timeStep.values[s]) {
        this.timeCount.values[s] = count + 1;
        return;
      }
    }
    const k = this.timeSpans++;
    this.timeStart.fit(k)[k] = t;
    this.timeStep.fit(k)[k] = 0;
    this.timeCount.fit(k)[k] = 1;
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
    const times = this.timeSpans;
    const accounts = this.accountSpans;
    const margins = this.marginSpans;
    const unrealized = !this.unrealizedIsValue;
    const array = (elements: number, bytes: number): number => 4 + ARRAY_HEADER + elements * (4 + bytes);
    const size =
      COPY_BINARY_HEADER_BYTES +
      2 +
      (4 + 8) * 2 +
      (4 + 4) +
      array(times, 8) * 2 +
      array(times, 4) +
      array(n, 8) +
      array(unrealized ? n : 0, 8) +
      array(accounts, 4) +
      array(accounts, 8) * 4 +
      array(margins, 4) +
      array(margins, 8) +
      2;
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
    writeMicros(view, at + 4, this.timeStart.values[0] as number);
    at += 12;
    view.setInt32(at, 4);
    view.setInt32(at + 4, n);
    at += 8;
    at = writeTimes(view, arrayHeader(view, at, times, 8, TIMESTAMPTZ_OID), this.timeStart.values, times);
    at = writeMicroSteps(view, arrayHeader(view, at, times, 8, INT8_OID), this.timeStep.values, times);
    at = writeInt4s(view, arrayHeader(view, at, times, 4, INT4_OID), this.timeCount.values, times);
    at = writeInt8s(view, arrayHeader(view, at, n, 8, INT8_OID), this.positionValue.values, n);
    const u = unrealized ? n : 0;
    at = writeInt8s(view, arrayHeader(view, at, u, 8, INT8_OID), this.unrealized.values, u);
    at = writeInt4s(view, arrayHeader(view, at, accounts, 4, INT4_OID), this.accountCount.values, accounts);
    at = writeInt8s(view, arrayHeader(view, at, accounts, 8, INT8_OID), this.cash.values, accounts);
    at = writeInt8s(view, arrayHeader(view, at, accounts, 8, INT8_OID), this.realized.values, accounts);
    at = writeInt8s(view, arrayHeader(view, at, accounts, 8, INT8_OID), this.fees.values, accounts);
    at = writeFloats(view, arrayHeader(view, at, accounts, 8, FLOAT8_OID), this.position.values, accounts);
    at = writeInt4s(view, arrayHeader(view, at, margins, 4, INT4_OID), this.marginCount.values, margins);
    at = writeInt8s(view, arrayHeader(view, at, margins, 8, INT8_OID), this.margin.values, margins);
    view.setInt16(at, COPY_BINARY_TRAILER);
    this.n = 0;
    this.timeSpans = 0;
    this.lastTime = NaN;
    this.accountSpans = 0;
    this.marginSpans = 0;
    this.unrealizedIsValue = true;
    return buf.subarray(0, size);
  }

  /** The next of the two buffers, at least `size` bytes. */
  private buffer(size: number): Buffer {
    const turn = this.turn;
    this.turn = 1 - turn;
    let buf = this.buffers[turn];
    if (buf === undefined || buf.length < size) {
      // Room for an eighth more: a batch's spans vary a little with its signals.
      buf = Buffer.allocUnsafe(size + (size >> 3));
      this.buffers[turn] = buf;
    }
    return buf;
  }
}

// The columns' loops are plain functions of their arguments (no closure over the offset): V8 optimises
// each once, early in a process's first backtest, and every column of a kind runs the same code.

/** An array field of `n` elements of `bytes` each: its length and header at `at`; returns where its
 * elements start. */
function arrayHeader(view: DataView, at: number, n: number, bytes: number, oid: number): number {
  view.setInt32(at, ARRAY_HEADER + n * (4 + bytes));
  view.setInt32(at + 4, 1);
  view.setInt32(at + 8, 0);
  view.setInt32(at + 12, oid);
  view.setInt32(at + 16, n);
  view.setInt32(at + 20, 1);
  return at + 4 + ARRAY_HEADER;
}

/** `n` timestamptz elements from epoch ms at `o`; returns the offset after them. */
function writeTimes(view: DataView, o: number, time: Float64Array, n: number): number {
  for (let i = 0; i < n; i++, o += 12) {
    view.setInt32(o, 8);
    writeMicros(view, o + 4, time[i] as number);
  }
  return o;
}

/** `n` int8 elements of microseconds from whole milliseconds at `o`; returns the offset after them. */
function writeMicroSteps(view: DataView, o: number, ms: Float64Array, n: number): number {
  for (let i = 0; i < n; i++, o += 12) {
    view.setInt32(o, 8);
    setInt64(view, o + 4, (ms[i] as number) * 1000);
  }
  return o;
}

/** `n` int8 elements (safe integers) at `o`; returns the offset after them. */
function writeInt8s(view: DataView, o: number, values: Float64Array, n: number): number {
  for (let i = 0; i < n; i++, o += 12) {
    view.setInt32(o, 8);
    setInt64(view, o + 4, values[i] as number);
  }
  return o;
}

/** `n` int4 elements at `o`; returns the offset after them. */
function writeInt4s(view: DataView, o: number, values: Float64Array, n: number): number {
  for (let i = 0; i < n; i++, o += 8) {
    view.setInt32(o, 4);
    view.setInt32(o + 4, values[i] as number);
  }
  return o;
}

/** `n` float8 elements at `o`; returns the offset after them. */
function writeFloats(view: DataView, o: number, values: Float64Array, n: number): number {
  for (let i = 0; i < n; i++, o += 12) {
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
