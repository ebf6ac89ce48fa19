// Conditions the chaos run waits on before it compares: the SMC study and the alerter have caught up.
import type pg from 'pg';

/** Until the alerter has evaluated what the stream left and no delivery is pending (up to a minute): no
 * alert or retraction queued, retrying or held, and no withdrawal the analyzer's re-run has passed unjudged. */
export async function alertsSettled(pool: pg.Pool): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = '';
  let stable = 0;
  while (Date.now() < deadline && stable < 3) {
    await new Promise((r) => setTimeout(r, 1_000));
    try {
      const { rows } = await pool.query<{ w: string; pending: number }>(
        `SELECT (SELECT last_processed_timestamp::text FROM analyzer_watermarks WHERE analyzer_id = 'alerter' AND timeframe = '*') AS w,
                (SELECT count(*)::int FROM alert_deliveries WHERE status IN ('queued', 'retrying', 'held'))
                + (SELECT count(*)::int FROM signal_withdrawals w JOIN analyzer_watermarks m USING (analyzer_id, contract_id, timeframe)
                    WHERE w.handled_at IS NULL AND m.last_processed_timestamp >= w.trigger_time) AS pending`,
      );
      const now = `${rows[0]?.w}`;
      stable = rows[0]?.pending === 0 && now === last ? stable + 1 : 0;
      last = now;
    } catch {
      stable = 0;
    }
  }
}

/** Until the SMC study's progress row reaches the last closed 1m bar (the analyzer may still be
 * recomputing after its last kill): a condition, not a margin; after 120 s the comparison says what lags. */
export async function smcSettled(pool: pg.Pool, contractId: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      const { rows } = await pool.query<{ caught_up: boolean }>(
        `SELECT coalesce((SELECT through FROM smc_study_state WHERE study_id = 'chaos' AND contract_id = $1) =
                (SELECT max("timestamp") FROM ohlc_bars WHERE contract_id = $1 AND timeframe = '1m' AND is_closed), false) AS caught_up`,
        [contractId],
      );
      if (rows[0]?.caught_up) return;
    } catch {
      // the database may be restarting: ask again
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
