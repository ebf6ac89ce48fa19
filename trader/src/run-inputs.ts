// A run's stored inputs, read for a backtest, a paper run's next step and its replay after a restart:
// closed bars, the mapped signals (in trigger order), and the commands it received; merged into the one
// input order of run-series.ts.
import type { OhlcBar } from '@barstream/core';
import { copyBarsBinary, type Pool, withClient } from '@barstream/core/node';
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
  if (![from ?? 0, until ?? 0].every(Number.isFinite)) throw new RangeError('readClosedBars: non-finite bound');
  return withClient(pool, async (client) => {
    const after = from === undefined ? '' : ` AND "timestamp" > to_timestamp(${from} / 1000.0)`;
    const upTo = until === undefined ? '' : ` AND "timestamp" <= to_timestamp(${until} / 1000.0)`;
    // COPY takes no bind parameters: the one text value is escaped, the numbers are checked.
    return copyBarsBinary(
      client,
      `SELECT "timestamp", open, high, low, close, volume FROM ohlc_bars
        WHERE contract_id = ${client.escapeLiteral(series.contractId)} AND timeframe_unit = ${series.timeframe.unit}
          AND timeframe_value = ${series.timeframe.value} AND is_closed${after}${upTo} ORDER BY "timestamp"`,
    );
  });
}

/** Stored signals of the run's analyzer triggered by bars with from < trigger ≤ until, in trigger order
 * (then bar time, then type: the order a backtest that computes them gives too). */
export async function readSignals(
  pool: Pool,
  series: RunSeries,
  from: number | undefined,
  until: number | undefined,
): Promise<RunSignal[]> {
  const { rows } = await pool.query<{ t: number; trig: number; type: string; price: number | null }>(
    `SELECT t, trig, type, price FROM (
       SELECT (extract(epoch FROM "timestamp") * 1000)::float8 AS t,
              (extract(epoch FROM COALESCE((details->>'trigger_time')::timestamptz, "timestamp")) * 1000)::float8 AS trig,
              signal_type AS type, signal_price AS price
         FROM detected_signals
        WHERE analyzer_id = $1 AND contract_id = $2 AND timeframe = $3 AND signal_type = ANY($4::text[])
          AND ($6::float8 IS NULL OR "timestamp" <= to_timestamp($6 / 1000.0))) s
      WHERE ($5::float8 IS NULL OR trig > $5) AND ($6::float8 IS NULL OR trig <= $6)
      ORDER BY trig, t, type`,
    [series.analyzerId, series.contractId, series.timeframeLabel, series.signalTypes, from ?? null, until ?? null],
  );
  return rows.map((r) => ({ time: r.t, trigger: r.trig, type: r.type, price: r.price }));
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

/** The run's inputs in order: each bar, then the signals its close triggered, then the commands applied
 * after it (by key, then bar < signal < command). Signals or commands of a key with no bar keep their place. */
export function* mergeInputs(
  series: RunSeries,
  bars: readonly OhlcBar[],
  signals: readonly RunSignal[],
  commands: readonly RunCommand[] = [],
): Generator<KeyedInput> {
  let s = 0;
  let c = 0;
  const flushUpTo = function* (key: number, inclusive: boolean): Generator<KeyedInput> {
    for (;;) {
      const sig = signals[s];
      const sk = sig === undefined ? Infinity : barKey(series, sig.trigger);
      const cmd = commands[c];
      const ck = cmd === undefined ? Infinity : cmd.at;
      const next = Math.min(sk, ck);
      if (next === Infinity || next > key || (!inclusive && next === key)) return;
      if (sk <= ck && sig) {
        s++;
        yield { key: sk, input: { kind: 'signal', key: signalKey(sig.time, sig.type), type: sig.type, time: sk, price: sig.price } };
      } else if (cmd) {
        c++;
        yield { key: ck, input: { kind: 'command', time: ck, command: cmd.command } };
      }
    }
  };
  for (const bar of bars) {
    const key = barKey(series, bar.time);
    yield* flushUpTo(key, false);
    yield { key, input: { kind: 'bar', bar } };
    yield* flushUpTo(key, true);
  }
  yield* flushUpTo(Infinity, true);
}
