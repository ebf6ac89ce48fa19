// Conditions the chaos run waits on before it compares: the SMC study and the alerter have caught up.
import type pg from 'pg';
import { batchKeys, engineKey, readStoredEvents } from './expected-alerts.ts';
import { waitFor } from './wait-for.ts';

/** The cap of the alerts' wait: past it, the comparison says what is missing or still pending. A deadline
 * for a loaded machine (the condition ends the wait as soon as it holds): with two CI runs on the 2 cores the
 * killed alerter and analyzer took 28 and 21 s to recover, and a minute was not enough for the last alert. */
const ALERTS_SETTLED_CAP_MS = 180_000;

/**
 * Until every alert is in its final state (at most three minutes): the analyzer's targets have committed the
 * last closed 1m bar (its /health, on `analyzerPort`: a restarted analyzer's recomputation included), the
 * alerter's watermark has passed that bar's close, every alert a batch evaluation expects up to it is
 * stored and not retracted, no alert or retraction is queued, retrying or held, and no withdrawal the
 * analyzer's re-run has passed is left unjudged. Whether it settled.
 */
export function alertsSettled(pool: pg.Pool, contractId: string, analyzerPort: number): Promise<boolean> {
  return waitFor(ALERTS_SETTLED_CAP_MS, async () => {
    const { rows } = await pool.query<{ last: number | null; pending: number }>(
      `SELECT (SELECT (extract(epoch FROM max("timestamp")) * 1000)::float8 FROM ohlc_bars
                WHERE contract_id = $1 AND timeframe = '1m' AND is_closed) AS last,
              (SELECT count(*)::int FROM alert_deliveries WHERE status IN ('queued', 'retrying', 'held'))
              + (SELECT count(*)::int FROM signal_withdrawals w JOIN analyzer_watermarks m USING (analyzer_id, contract_id, timeframe)
                  WHERE w.handled_at IS NULL AND m.last_processed_timestamp >= w.trigger_time) AS pending`,
      [contractId],
    );
    const last = rows[0]?.last;
    if (last === null || last === undefined || rows[0]?.pending !== 0) return false;
    if (!(await analyzerCommitted(analyzerPort, last))) return false;
    const { watermark, events } = await readStoredEvents(pool, contractId);
    if (watermark < last + 60_000) return false;
    const standing = await pool.query<{ alert_key: string }>('SELECT alert_key FROM alerts WHERE retracted_at IS NULL');
    const stored = new Set(standing.rows.map((r) => engineKey(r.alert_key)));
    return batchKeys(contractId, events, watermark).every((k) => stored.has(k));
  });
}

/** Whether every analyzer target reports (GET /health) a committed watermark at or after `barTime`. */
async function analyzerCommitted(port: number, barTime: number): Promise<boolean> {
  const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { targets?: { watermark: string | null }[] };
  const targets = health.targets ?? [];
  return targets.length > 0 && targets.every((t) => t.watermark !== null && Date.parse(t.watermark) >= barTime);
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
