// A run's stored inputs, read for a backtest, a paper run's next step and its replay after a restart:
// closed bars, the mapped signals (in trigger order), and the commands it received; merged into the one
// input order of run-series.ts.
import { BarColumns, type OhlcBar } from '@barstream/core';
import { copyBarColumnsBinary, copyBarsBinary, copyColumnsBinary, type Pool, type PoolClient, withClient } from '@barstream/core/node';
import type { EngineCommand, EngineInput } from '@barstream/core/trading';
import { barKey, type RunSeries, signalKey } from './run-series.ts';

export interface RunSignal {
  /** Open time of the bar the signal is about. */
  readonly time: number;
  /** Open time of the bar whose close triggered it. */
  readonly trigger: number;
  readonly type: string;
  readonly price: number | null;
}

/** A stored trade (ticks table) of the run's contract: tick-model runs fill on these. */
export interface RunTick {
  /** Epoch ms, with the microseconds as a fraction. */
  readonly time: number;
  readonly price: number;
  readonly size: number;
}

export interface RunCommand {
  readonly seq: number;
  /** The engine time it was applied at (epoch ms). */
  readonly at: number;
  readonly command: EngineCommand;
}

/** Closed bars with from < time ≤ until (epoch ms; undefined: unbounded), ascending. */
export async function readClosedBars(
  pool: Pool,
  series: RunSeries,
  from: number | undefined,
  until: number | undefined,
): Promise<OhlcBar[]> {
  return withClient(pool, (client) => copyBarsBinary(client, closedBarsQuery(client, series, from, until)));
}

/** readClosedBars' bars as columns (a backtest's million bars), sized once for the most bars the range
 * can hold; a range of `splitBars` or more is read as two halves at once. */
export async function readClosedBarColumns(
  pool: Pool,
  series: RunSeries,
  from: number | undefined,
  until: number | undefined,
  splitBars = SPLIT_BARS,
): Promise<BarColumns> {
  const most = from === undefined || until === undefined ? undefined : Math.floor((until - from) / series.stepMs) + 1;
  if (from === undefined || until === undefined || most === undefined || most < Math.max(splitBars, 2)) {
    return withClient(pool, (client) => copyBarColumnsBinary(client, closedBarsQuery(client, series, from, until), most));
  }
  // Two halves of the range, each on its own connection, into one set of columns: the second half's
  // bars are read behind the room of the first's, then moved down to follow its last bar.
  const mid = from + Math.floor((most - 1) / 2) * series.stepMs;
  const firstRoom = Math.floor((mid - from) / series.stepMs) + 1;
  const room = firstRoom + Math.floor((until - mid) / series.stepMs) + 1;
  const all = columnsOf(room);
  const [first, second] = await Promise.all([
    withClient(pool, (client) =>
      copyBarColumnsBinary(client, closedBarsQuery(client, series, from, mid), undefined, sliceOf(all, 0, firstRoom)),
    ),
    withClient(pool, (client) =>
      copyBarColumnsBinary(client, closedBarsQuery(client, series, mid, until), undefined, sliceOf(all, firstRoom, room)),
    ),
  ]);
  const n = first.length + second.length;
  const inPlace = (c: BarColumns, at: number): boolean => c.time.buffer === all.time.buffer && c.time.byteOffset === at * 8;
  if (inPlace(first, 0) && inPlace(second, firstRoom)) {
    if (first.length < firstRoom) for (const c of columnsList(all)) c.copyWithin(first.length, firstRoom, firstRoom + second.length);
    return sliceOf(all, 0, n);
  }
  // A half held more bars than its room (bars off the step grid): the halves joined by copying.
  const joined = columnsOf(n);
  columnsList(joined).forEach((c, i) => {
    c.set(columnsList(first)[i] as Float64Array, 0);
    c.set(columnsList(second)[i] as Float64Array, first.length);
  });
  return joined;
}

/** A range of at least this many bars is read as two halves on two connections at once: most of the
 * read is the database's COPY out of each row, which two backends do on two cores. */
const SPLIT_BARS = 200_000;

function columnsOf(n: number): BarColumns {
  return new BarColumns(...([0, 0, 0, 0, 0, 0].map(() => new Float64Array(n)) as ColumnArrays));
}

type ColumnArrays = [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];

function columnsList(c: BarColumns): ColumnArrays {
  return [c.time, c.open, c.high, c.low, c.close, c.volume];
}

function sliceOf(c: BarColumns, start: number, end: number): BarColumns {
  return new BarColumns(...(columnsList(c).map((a) => a.subarray(start, end)) as ColumnArrays));
}

function closedBarsQuery(client: PoolClient, series: RunSeries, from: number | undefined, until: number | undefined): string {
  if (![from ?? 0, until ?? 0].every(Number.isFinite)) throw new RangeError('readClosedBars: non-finite bound');
  const after = from === undefined ? '' : ` AND "timestamp" > to_timestamp(${from} / 1000.0)`;
  const upTo = until === undefined ? '' : ` AND "timestamp" <= to_timestamp(${until} / 1000.0)`;
  // COPY takes no bind parameters: the one text value is escaped, the numbers are checked.
  return `SELECT "timestamp", open, high, low, close, volume FROM ohlc_bars
        WHERE contract_id = ${client.escapeLiteral(series.contractId)} AND timeframe_unit = ${series.timeframe.unit}
          AND timeframe_value = ${series.timeframe.value} AND is_closed${after}${upTo} ORDER BY "timestamp"`;
}

/** Stored signals of the run's analyzer triggered by bars with from < trigger ≤ until, in trigger order
 * (then bar time, then type: the order a backtest that computes them gives too). Read by binary COPY as
 * columns (times as epoch ms with their µs as the fraction, the type as its place in the series' signal
 * types, the price and whether it is NULL): a backtest's 50,000 signals as pg's text rows were a tenth of
 * a first backtest's read phase in this process. */
export async function readSignals(
  pool: Pool,
  series: RunSeries,
  from: number | undefined,
  until: number | undefined,
): Promise<RunSignal[]> {
  const [t, trig, type, price, noPrice] = (await withClient(pool, (client) =>
    copyColumnsBinary(client, signalsQuery(client, series, from, until), 5, 2),
  )) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  const signals = new Array<RunSignal>(t.length);
  for (let i = 0; i < t.length; i++) {
    signals[i] = {
      time: t[i] as number,
      trigger: trig[i] as number,
      type: series.signalTypes[(type[i] as number) - 1] as string,
      price: noPrice[i] === 1 ? null : (price[i] as number),
    };
  }
  return signals;
}

function signalsQuery(client: PoolClient, series: RunSeries, from: number | undefined, until: number | undefined): string {
  if (![from ?? 0, until ?? 0].every(Number.isFinite)) throw new RangeError('readSignals: non-finite bound');
  // COPY takes no bind parameters: the texts are escaped, the numbers checked.
  const types = `ARRAY[${series.signalTypes.map((t) => client.escapeLiteral(t)).join(', ')}]::text[]`;
  const upTo = until === undefined ? '' : ` AND "timestamp" <= to_timestamp(${until} / 1000.0)`;
  const bounds = [
    ...(from === undefined ? [] : [`trig > to_timestamp(${from} / 1000.0)`]),
    ...(until === undefined ? [] : [`trig <= to_timestamp(${until} / 1000.0)`]),
  ];
  return `SELECT t, trig, array_position(${types}, type)::float8, COALESCE(price, 0), (price IS NULL)::int::float8 FROM (
       SELECT "timestamp" AS t, COALESCE((details->>'trigger_time')::timestamptz, "timestamp") AS trig,
              signal_type AS type, signal_price AS price
         FROM detected_signals
        WHERE analyzer_id = ${client.escapeLiteral(series.analyzerId)} AND contract_id = ${client.escapeLiteral(series.contractId)}
          AND timeframe = ${client.escapeLiteral(series.timeframeLabel)} AND signal_type = ANY(${types})${upTo}) s
      ${bounds.length === 0 ? '' : `WHERE ${bounds.join(' AND ')}`}
      ORDER BY trig, t, type`;
}

/** The contract's trades with from < time ≤ until (epoch ms), in time order; trades of one instant by
 * price, size, side and id (rows equal in all of those are interchangeable for the engine). */
export async function readTicks(pool: Pool, series: RunSeries, from: number, until: number): Promise<RunTick[]> {
  const { rows } = await pool.query<{ t: number; price: number; size: number }>(
    `SELECT (extract(epoch FROM "timestamp") * 1000)::float8 AS t, price, volume AS size FROM ticks
      WHERE contract_id = $1 AND "timestamp" > to_timestamp($2 / 1000.0) AND "timestamp" <= to_timestamp($3 / 1000.0)
      ORDER BY "timestamp", price, volume, side, trade_id`,
    [series.contractId, from, until],
  );
  return rows.map((r) => ({ time: r.t, price: r.price, size: r.size }));
}

/** readTicks for a paper step that may run ahead of the closed bars (tick fill model): the trades with
 * from < time ≤ until, except that past `settled` (the last closed bar's key) a trade at the latest stored
 * instant of the contract is held back — trades of one instant may still be arriving in the ingester's
 * next flush, and the backtest orders them by price, size, side and id. */
export async function readLiveTicks(pool: Pool, series: RunSeries, from: number, until: number, settled: number): Promise<RunTick[]> {
  const { rows } = await pool.query<{ t: number; price: number; size: number }>(
    `SELECT (extract(epoch FROM "timestamp") * 1000)::float8 AS t, price, volume AS size FROM ticks
      WHERE contract_id = $1 AND "timestamp" > to_timestamp($2 / 1000.0) AND "timestamp" <= to_timestamp($3 / 1000.0)
        AND ("timestamp" <= to_timestamp($4 / 1000.0)
             OR "timestamp" < (SELECT max("timestamp") FROM ticks WHERE contract_id = $1 AND "timestamp" > to_timestamp($2 / 1000.0)))
      ORDER BY "timestamp", price, volume, side, trade_id`,
    // The latest instant is sought after `from` only: the same answer for these rows, and on a hypertable
    // only the recent chunks are searched.
    [series.contractId, from, until, settled],
  );
  return rows.map((r) => ({ time: r.t, price: r.price, size: r.size }));
}

/** Commands with seq > afterSeq, in seq order. */
export async function readCommands(pool: Pool, runId: number, afterSeq = 0): Promise<RunCommand[]> {
  const { rows } = await pool.query<{ seq: number; at: number; command: EngineCommand }>(
    `SELECT seq, (extract(epoch FROM at) * 1000)::float8 AS at, command FROM run_commands WHERE run_id = $1 AND seq > $2 ORDER BY seq`,
    [runId, afterSeq],
  );
  return rows;
}

/** The analyzer's watermark for the run's series: signals of bars up to it are stored. */
export async function readAnalyzerWatermark(pool: Pool, series: RunSeries): Promise<number | undefined> {
  const { rows } = await pool.query<{ t: number }>(
    `SELECT (extract(epoch FROM last_processed_timestamp) * 1000)::float8 AS t FROM analyzer_watermarks
      WHERE analyzer_id = $1 AND contract_id = $2 AND timeframe = $3`,
    [series.analyzerId, series.contractId, series.timeframeLabel],
  );
  return rows[0]?.t;
}

export interface KeyedInput {
  readonly key: number;
  readonly input: EngineInput;
}

/** The run's inputs in order, by key then rank: the trades up to a bar's key (tick model), the bar, the
 * signals its close triggered, the commands applied after it. Inputs of a key with no bar keep their place. */
export function* mergeInputs(
  series: RunSeries,
  bars: readonly OhlcBar[],
  signals: readonly RunSignal[],
  commands: readonly RunCommand[] = [],
  ticks: readonly RunTick[] = [],
): Generator<KeyedInput> {
  let b = 0;
  let s = 0;
  let c = 0;
  let t = 0;
  for (;;) {
    const tick = ticks[t];
    const bar = bars[b];
    const sig = signals[s];
    const cmd = commands[c];
    const tk = tick === undefined ? Infinity : tick.time;
    const bk = bar === undefined ? Infinity : barKey(series, bar.time);
    const sk = sig === undefined ? Infinity : barKey(series, sig.trigger);
    const ck = cmd === undefined ? Infinity : cmd.at;
    const key = Math.min(tk, bk, sk, ck);
    if (key === Infinity) return;
    if (tick && tk === key) {
      t++;
      yield { key, input: { kind: 'trade', time: tick.time, price: tick.price, size: tick.size } };
    } else if (bar && bk === key) {
      b++;
      yield { key, input: { kind: 'bar', bar } };
    } else if (sig && sk === key) {
      s++;
      yield { key, input: { kind: 'signal', key: signalKey(sig.time, sig.type), type: sig.type, time: key, price: sig.price } };
    } else if (cmd) {
      c++;
      yield { key, input: { kind: 'command', time: key, command: cmd.command } };
    }
  }
}
