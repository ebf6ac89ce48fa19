// Writes a target's new signals, NOTIFYs them and advances its watermark, in one transaction.
import type { SignalMessage, StrategySignal } from '@barstream/core';
import { inTransaction, notifyAll, type Pool } from '@barstream/core/node';
import type { AnalysisUnit } from './targets.ts';

export interface StoredSignal extends StrategySignal {
  /** Open time of the bar whose close triggered the signal (it may be about an earlier bar). */
  readonly triggerTime: number;
}

const UPSERT_SIGNALS = `
INSERT INTO detected_signals (analyzer_id, "timestamp", contract_id, timeframe, signal_type, signal_price,
  signal_open, signal_high, signal_low, signal_close, signal_volume, details)
SELECT $1, t, $2, $3, ty, p, o, h, l, c, v, d
  FROM unnest($4::timestamptz[], $5::text[], $6::float8[], $7::float8[], $8::float8[], $9::float8[],
              $10::float8[], $11::float8[], $12::jsonb[]) AS s(t, ty, p, o, h, l, c, v, d)
ON CONFLICT ON CONSTRAINT detected_signals_unique_signal DO NOTHING
RETURNING signal_id, "timestamp", trigger_timestamp, signal_type, signal_price, details`;

const UPSERT_WATERMARK = `
INSERT INTO analyzer_watermarks (analyzer_id, contract_id, timeframe, last_processed_timestamp, updated_at)
VALUES ($1, $2, $3, to_timestamp($4::float8 / 1000), now())
ON CONFLICT (analyzer_id, contract_id, timeframe)
DO UPDATE SET last_processed_timestamp = EXCLUDED.last_processed_timestamp, updated_at = now()`;

/** Returns the signals that were new (already stored ones are left as they are). */
export async function storeSignals(pool: Pool, unit: AnalysisUnit, signals: readonly StoredSignal[], watermarkMs: number): Promise<SignalMessage[]> {
  return inTransaction(pool, async (client) => {
    const notices: SignalMessage[] = [];
    if (signals.length > 0) {
      const { rows } = await client.query<{ signal_id: number; timestamp: Date; trigger_timestamp: Date; signal_type: string; signal_price: number | null; details: Record<string, unknown> }>(
        UPSERT_SIGNALS, [unit.analyzerId, unit.contractId, unit.timeframeLabel,
          signals.map((s) => new Date(s.bar.time).toISOString()), signals.map((s) => s.type), signals.map((s) => s.price),
          signals.map((s) => s.bar.open), signals.map((s) => s.bar.high), signals.map((s) => s.bar.low),
          signals.map((s) => s.bar.close), signals.map((s) => s.bar.volume),
          signals.map((s) => JSON.stringify({ ...s.details, trigger_time: new Date(s.triggerTime).toISOString() }))]);
      for (const r of rows) {
        notices.push({ type: 'signal', signal_id: r.signal_id, analyzer_id: unit.analyzerId, contract_id: unit.contractId,
          timeframe: unit.timeframeLabel, timestamp: r.timestamp.toISOString(), trigger_timestamp: r.trigger_timestamp.toISOString(),
          signal_type: r.signal_type, signal_price: r.signal_price, details: r.details });
      }
      if (notices.length > 0) {
        await notifyAll(client, 'signalDetected', notices.map((n) => JSON.stringify(n)));
      }
    }
    await client.query(UPSERT_WATERMARK, [unit.analyzerId, unit.contractId, unit.timeframeLabel, watermarkMs]);
    return notices;
  });
}

export async function readWatermark(pool: Pool, unit: AnalysisUnit): Promise<number | undefined> {
  const { rows } = await pool.query<{ t: number }>(
    `SELECT (extract(epoch FROM last_processed_timestamp) * 1000)::float8 AS t FROM analyzer_watermarks
      WHERE analyzer_id = $1 AND contract_id = $2 AND timeframe = $3`, [unit.analyzerId, unit.contractId, unit.timeframeLabel]);
  return rows[0]?.t;
}

/** Forgets signals triggered at or after `fromMs` and moves the watermark back before it. */
export async function rewindTarget(pool: Pool, unit: AnalysisUnit, fromMs: number | undefined): Promise<void> {
  await inTransaction(pool, async (client) => {
    const args = [unit.analyzerId, unit.contractId, unit.timeframeLabel];
    if (fromMs === undefined) {
      await client.query('DELETE FROM detected_signals WHERE analyzer_id = $1 AND contract_id = $2 AND timeframe = $3', args);
      await client.query('DELETE FROM analyzer_watermarks WHERE analyzer_id = $1 AND contract_id = $2 AND timeframe = $3', args);
      return;
    }
    await client.query(`DELETE FROM detected_signals WHERE analyzer_id = $1 AND contract_id = $2 AND timeframe = $3
        AND COALESCE((details->>'trigger_time')::timestamptz, "timestamp") >= to_timestamp($4::float8 / 1000)`, [...args, fromMs]);
    await client.query(`UPDATE analyzer_watermarks SET last_processed_timestamp = to_timestamp($4::float8 / 1000 - 0.001), updated_at = now()
       WHERE analyzer_id = $1 AND contract_id = $2 AND timeframe = $3 AND last_processed_timestamp >= to_timestamp($4::float8 / 1000)`, [...args, fromMs]);
  });
}
