// What a paper step needs, read in ONE round trip: the closed bars after the run's last bar up to the
// analyzer's watermark (at most `maxBars`), the signals those bars triggered, and the commands after the
// last applied one, and the analyzer's watermark the bars were read against — the same rows
// readAnalyzerWatermark + readClosedBars + readSignals + readCommands return in four (run-inputs.ts), as
// one named prepared statement (parsed and planned once per connection).
import type { OhlcBar } from '@barstream/core';
import type { EngineCommand } from '@barstream/core/trading';
import type pg from 'pg';
import type { RunCommand, RunSignal } from './run-inputs.ts';
import type { RunSeries } from './run-series.ts';

export interface StepInputs {
  readonly bars: OhlcBar[];
  readonly signals: RunSignal[];
  readonly commands: RunCommand[];
  /** The analyzer's watermark (a bar's open time, epoch ms) the bars were read up to; undefined: none yet. */
  readonly analyzed: number | undefined;
}

const STATEMENT_NAME = 'trader-paper-step-inputs';

// Ranks keep the three kinds apart in one ordered result: bars by time; signals by trigger, bar time,
// type (readSignals' order); commands by seq. Bar times are floored to the ms (as copyBarsBinary does);
// signal and command times are converted as readSignals / readCommands convert them.
const SQL = `WITH
  wm AS (
    SELECT last_processed_timestamp AS t FROM analyzer_watermarks
     WHERE analyzer_id = $1::text AND contract_id = $2::text AND timeframe = $3::text),
  bars AS (
    SELECT "timestamp" AS ts, open, high, low, close, volume FROM ohlc_bars
     WHERE contract_id = $2::text AND timeframe_unit = $4::int AND timeframe_value = $5::int AND is_closed
       AND "timestamp" > to_timestamp($6::float8 / 1000) AND "timestamp" <= (SELECT t FROM wm)
     ORDER BY "timestamp" LIMIT $7::int),
  upto AS (SELECT max(ts) AS t FROM bars),
  sigs AS (
    SELECT "timestamp" AS ts, COALESCE((details->>'trigger_time')::timestamptz, "timestamp") AS trig, signal_type, signal_price
      FROM detected_signals
     WHERE analyzer_id = $1::text AND contract_id = $2::text AND timeframe = $3::text AND signal_type = ANY($8::text[])
       AND "timestamp" <= (SELECT t FROM upto))
SELECT 0 AS rank, floor(extract(epoch FROM ts) * 1000)::float8 AS t, NULL::float8 AS trig, open, high, low, close, volume,
       NULL::text AS type, NULL::int AS seq, NULL::jsonb AS command
  FROM bars
UNION ALL
SELECT 1, (extract(epoch FROM ts) * 1000)::float8, (extract(epoch FROM trig) * 1000)::float8, signal_price, NULL, NULL, NULL, NULL,
       signal_type, NULL, NULL
  FROM sigs WHERE trig > to_timestamp($6::float8 / 1000) AND trig <= (SELECT t FROM upto)
UNION ALL
SELECT 2, (extract(epoch FROM at) * 1000)::float8, NULL, NULL, NULL, NULL, NULL, NULL, NULL, seq, command
  FROM run_commands WHERE run_id = $9::bigint AND seq > $10::int
UNION ALL
SELECT 3, (extract(epoch FROM t) * 1000)::float8, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM wm
ORDER BY rank, trig, t, type, seq`;

interface Row {
  rank: number;
  t: number;
  trig: number | null;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number | null;
  volume: number | null;
  type: string | null;
  seq: number | null;
  command: EngineCommand | null;
}

/** The step's inputs: bars with afterBar < time ≤ the analyzer's watermark (none when it has none). */
export async function readStepInputs(
  pool: pg.Pool,
  series: RunSeries,
  step: { readonly runId: number; readonly afterBar: number; readonly afterSeq: number; readonly maxBars: number },
): Promise<StepInputs> {
  const { rows } = await pool.query<Row>({
    name: STATEMENT_NAME,
    text: SQL,
    values: [
      series.analyzerId,
      series.contractId,
      series.timeframeLabel,
      series.timeframe.unit,
      series.timeframe.value,
      step.afterBar,
      step.maxBars,
      series.signalTypes,
      step.runId,
      step.afterSeq,
    ],
  });
  const out: { -readonly [K in keyof StepInputs]: StepInputs[K] } = { bars: [], signals: [], commands: [], analyzed: undefined };
  for (const r of rows) {
    if (r.rank === 0) {
      out.bars.push({
        time: r.t,
        open: r.open as number,
        high: r.high as number,
        low: r.low as number,
        close: r.close as number,
        volume: r.volume as number,
      });
    } else if (r.rank === 1) {
      out.signals.push({ time: r.t, trigger: r.trig as number, type: r.type as string, price: r.open });
    } else if (r.rank === 3) {
      out.analyzed = r.t;
    } else {
      out.commands.push({ seq: r.seq as number, at: r.t, command: r.command as EngineCommand });
    }
  }
  return out;
}
