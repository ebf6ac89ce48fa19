// Withdrawing stored signals durably: each deleted detected_signals row is recorded in signal_withdrawals
// by the same statement, and one signals_withdrawn NOTIFY summarises them, in the caller's transaction —
// so the alerter, which retracts alerts sent on them, learns of every withdrawal that committed and of
// none that did not (migration 019, docs/ALERTS.md "Retractions").
import { channels, type SignalsWithdrawnMessage } from '@barstream/core';
import type { PoolClient } from '@barstream/core/node';
import type { AnalysisUnit } from './targets.ts';

export type WithdrawalCause = SignalsWithdrawnMessage['cause'];

/** The trigger bar's open, as the runner rewinds by (the signal's bar for rows written without one). */
const TRIGGER_TIME = `COALESCE((details->>'trigger_time')::timestamptz, "timestamp")`;

/** Which of the target's signals go: all, those triggered at or after a time, or some ids. */
export type Withdrawn = { readonly all: true } | { readonly triggeredFromMs: number } | { readonly signalIds: readonly number[] };

function condition(which: Withdrawn): { sql: string; arg?: unknown } {
  if ('all' in which) return { sql: 'TRUE' };
  if ('triggeredFromMs' in which) return { sql: `${TRIGGER_TIME} >= to_timestamp($5::float8 / 1000)`, arg: which.triggeredFromMs };
  return { sql: 'signal_id = ANY($5::int[])', arg: which.signalIds };
}

/** Deletes the signals, records each as withdrawn and NOTIFYs once; answers how many. Run inside a transaction. */
export async function withdrawSignals(client: PoolClient, unit: AnalysisUnit, which: Withdrawn, cause: WithdrawalCause): Promise<number> {
  const { sql, arg } = condition(which);
  const { rows } = await client.query<{ n: number }>(
    `WITH gone AS (
       DELETE FROM detected_signals WHERE analyzer_id = $1 AND contract_id = $2 AND timeframe = $3 AND ${sql}
       RETURNING signal_id, analyzer_id, contract_id, timeframe, "timestamp", signal_type, ${TRIGGER_TIME} AS trigger_time),
     recorded AS (
       INSERT INTO signal_withdrawals (signal_id, analyzer_id, contract_id, timeframe, "timestamp", signal_type, trigger_time, cause)
       SELECT signal_id, analyzer_id, contract_id, timeframe, "timestamp", signal_type, trigger_time, $4 FROM gone
       RETURNING 1)
     SELECT count(*)::int AS n FROM recorded`,
    [unit.analyzerId, unit.contractId, unit.timeframeLabel, cause, ...(arg === undefined ? [] : [arg])],
  );
  const count = rows[0]?.n ?? 0;
  if (count > 0) {
    const message: SignalsWithdrawnMessage = {
      type: 'signals_withdrawn',
      analyzer_id: unit.analyzerId,
      contract_id: unit.contractId,
      timeframe: unit.timeframeLabel,
      cause,
      count,
    };
    await client.query('SELECT pg_notify($1, $2)', [
      channels.signalsWithdrawn.name,
      JSON.stringify(channels.signalsWithdrawn.schema.parse(message)),
    ]);
  }
  return count;
}
