// A batch of equity points as one row of `COPY equity_change_chunks FROM STDIN (FORMAT binary)` (migration
// 021): each value stored once per change. Cash, realized PnL, fees and position go as spans of equal
// values (they change at fills only), margin used as spans of its own, times as spans of even steps, the
// unrealized PnL only when it differs from the position value (a futures run's never does); the position
// value keeps an element per point. A million bars' 8 million array elements become ~1.5 million: the
// database receives and stores each one. Written as binary arrays (binary-array.ts): no decimal text to
// format here or parse in the database. The view run_equity expands the spans into the same rows as before.
import { COPY_BINARY_TRAILER } from '@barstream/core/node';
import type { EngineEvent } from '@barstream/core/trading';
import { ARRAY_OID, BinaryArray } from './binary-array.ts';
import { BinaryRows } from './binary-rows.ts';

type EquityEvent = Extract<EngineEvent, { type: 'equity' }>;

export const COPY_EQUITY_CHANGE_CHUNK =
  'COPY equity_change_chunks (run_id, first_time, points, time_starts, time_steps, time_counts, position_value, unrealized_pnl, ' +
  'account_counts, cash, realized_pnl, fees, position, margin_counts, margin_used) FROM STDIN (FORMAT binary)';

const FIELDS = 15;
const TRAILER = Buffer.from([(COPY_BINARY_TRAILER >> 8) & 0xff, COPY_BINARY_TRAILER & 0xff]);
const INITIAL = 1024;
/** A first chunk's arrays start this big (later ones at their predecessor's size). */
const INITIAL_BYTES = 1 << 16;

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

/** A chunk's array columns (binary-array.ts), in column order after the first three fields. */
class ChangeArrays {
  readonly timeStarts = new BinaryArray(ARRAY_OID.timestamptz, INITIAL_BYTES);
  readonly timeSteps = new BinaryArray(ARRAY_OID.int8, INITIAL_BYTES);
  readonly timeCounts = new BinaryArray(ARRAY_OID.int4, INITIAL_BYTES);
  readonly positionValue = new BinaryArray(ARRAY_OID.int8, INITIAL_BYTES);
  readonly unrealized = new BinaryArray(ARRAY_OID.int8, INITIAL_BYTES);
  readonly accountCounts = new BinaryArray(ARRAY_OID.int4, INITIAL_BYTES);
  readonly cash = new BinaryArray(ARRAY_OID.int8, INITIAL_BYTES);
  readonly realized = new BinaryArray(ARRAY_OID.int8, INITIAL_BYTES);
  readonly fees = new BinaryArray(ARRAY_OID.int8, INITIAL_BYTES);
  readonly position = new BinaryArray(ARRAY_OID.float8, INITIAL_BYTES);
  readonly marginCounts = new BinaryArray(ARRAY_OID.int4, INITIAL_BYTES);
  readonly margin = new BinaryArray(ARRAY_OID.int8, INITIAL_BYTES);

  /** In column order. */
  all(): BinaryArray[] {
    return [
      this.timeStarts,
      this.timeSteps,
      this.timeCounts,
      this.positionValue,
      this.unrealized,
      this.accountCounts,
      this.cash,
      this.realized,
      this.fees,
      this.position,
      this.marginCounts,
      this.margin,
    ];
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
  /** The chunk being written and the one taken before it (still being sent): they change places at each
   * take, so their buffers are reused. */
  private arrays = new ChangeArrays();
  private spare = new ChangeArrays();

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
   * order), as buffers to send in order, which it then forgets. The arrays are written into one of two sets
   * used in turn, so the input stays valid until the second take after this one: a batch is sent while the
   * next is encoded, and has been sent before the one after that is taken (backtest-run.ts awaits each
   * batch's transaction before it starts the next). Fresh buffers per batch cost the first backtest of a
   * process a page fault per 4 KiB of them. */
  take(runId: number): Buffer[] {
    const n = this.n;
    if (n === 0) throw new RangeError('EquityColumns.take: no points');
    const times = this.timeSpans;
    const accounts = this.accountSpans;
    const margins = this.marginSpans;
    const a = this.arrays;
    this.arrays = this.spare;
    this.spare = a;
    const head = new BinaryRows(64);
    head.row(FIELDS);
    head.int8(runId);
    head.timestamptzMicros(this.timeStart.values[0] as number);
    head.int4(n);
    const input = [head.head()];
    for (const array of a.all()) array.clear();
    a.timeStarts.timestamptzMicrosList(this.timeStart.values, times);
    a.timeSteps.int8s(this.timeStep.values, times, 1000); // whole ms steps as µs
    a.timeCounts.int4s(this.timeCount.values, times);
    a.positionValue.int8s(this.positionValue.values, n);
    const u = this.unrealizedIsValue ? 0 : n;
    a.unrealized.int8s(this.unrealized.values, u);
    a.accountCounts.int4s(this.accountCount.values, accounts);
    a.cash.int8s(this.cash.values, accounts);
    a.realized.int8s(this.realized.values, accounts);
    a.fees.int8s(this.fees.values, accounts);
    a.position.float8s(this.position.values, accounts);
    a.marginCounts.int4s(this.marginCount.values, margins);
    a.margin.int8s(this.margin.values, margins);
    const lengths = [times, times, times, n, u, accounts, accounts, accounts, accounts, accounts, margins, margins];
    a.all().forEach((array, k) => input.push(...array.field(lengths[k] as number)));
    input.push(TRAILER);
    this.n = 0;
    this.timeSpans = 0;
    this.lastTime = NaN;
    this.accountSpans = 0;
    this.marginSpans = 0;
    this.unrealizedIsValue = true;
    return input;
  }
}
