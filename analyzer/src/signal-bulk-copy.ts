// The backfill write path: many signals COPYed straight into detected_signals, announced by one
// signals_stored summary. Only used where no stored signal can conflict; otherwise the caller falls
// back to the per-row path (stage, ON CONFLICT DO NOTHING, one signal_detected each).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { channels, type SignalsStoredMessage } from '@barstream/core';
import { BinaryCopyWriter, isUniqueViolation } from '@barstream/core/node';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { SignalBatch } from './signal-batch.ts';
import type { AnalysisUnit } from './targets.ts';

/** From this many signals in one pass, a pass is a backfill and takes this path. */
export const BULK_SIGNALS = 100;

/** COPYs `signals` and notifies one summary, returning how many were stored; or undefined (nothing
 * written) when a stored signal of the target could collide with them. Runs in the caller's transaction. */
export async function copySignals(client: pg.ClientBase, unit: AnalysisUnit, signals: SignalBatch): Promise<number | undefined> {
  let from = Infinity;
  let to = -Infinity;
  const { time } = signals.bars;
  for (let i = 0; i < time.length; i++) {
    const t = time[i] as number;
    if (t < from) from = t;
    if (t > to) to = t;
  }
  const { rowCount } = await client.query(
    `SELECT 1 FROM detected_signals WHERE analyzer_id = $1 AND contract_id = $2
      AND timeframe = $3 AND "timestamp" >= to_timestamp($4::float8 / 1000) LIMIT 1`,
    [unit.analyzerId, unit.contractId, unit.timeframeLabel, from],
  );
  if (rowCount !== 0) return undefined;
  // A strategy that repeats a signal within the batch violates the unique key: undo, let the caller dedupe.
  await client.query('SAVEPOINT bulk_signals');
  try {
    await pipeline(
      Readable.from(copyRows(unit, signals)),
      client.query(
        copyFrom(`COPY detected_signals (analyzer_id, contract_id, timeframe,
      "timestamp", signal_type, signal_price, signal_open, signal_high, signal_low, signal_close, signal_volume, details) FROM STDIN (FORMAT binary)`),
      ),
    );
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    await client.query('ROLLBACK TO SAVEPOINT bulk_signals');
    return undefined;
  }
  const summary: SignalsStoredMessage = {
    type: 'signals_stored',
    analyzer_id: unit.analyzerId,
    contract_id: unit.contractId,
    timeframe: unit.timeframeLabel,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    count: signals.length,
  };
  await client.query('SELECT pg_notify($1, $2)', [channels.signalsStored.name, JSON.stringify(summary)]);
  return signals.length;
}

function copyRows(unit: AnalysisUnit, signals: SignalBatch): Buffer[] {
  const w = new BinaryCopyWriter();
  const { time, open, high, low, close, volume } = signals.bars;
  const { price, types, detailBytes } = signals;
  const details = detailBytes.bytes;
  for (let i = 0; i < signals.length; i++) {
    w.row(12)
      .text(unit.analyzerId)
      .text(unit.contractId)
      .text(unit.timeframeLabel)
      .timestamptz(time[i] as number)
      .text(types[i] as string)
      .float8(price[i] as number)
      .float8(open[i] as number)
      .float8(high[i] as number)
      .float8(low[i] as number)
      .float8(close[i] as number)
      .float8(volume[i] as number)
      .jsonbUtf8(details, detailBytes.start(i), detailBytes.end(i));
  }
  return w.finish();
}
