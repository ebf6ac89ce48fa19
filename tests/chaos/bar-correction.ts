// The chaos run's withdrawal: a closed 1m bar corrected after an alert on its signal was delivered (as a
// vendor's history correction reaches the ingester's repair: writeHistoryBars, upsert + ohlc_update in
// one transaction; the live upsert never rewrites a closed bar), so the
// analyzer's re-run from it withdraws the signal and the alerter retracts the alert; then, once that
// withdrawal is judged (or the wait's cap passed), the bar is corrected back: the re-run finds the signal
// again (a new row, alerted again as `<key>|found 2`) and the stored bars end equal to the clean stream.
import type pg from 'pg';
import type { OhlcBar } from '../../core/src/index.ts';
import { REVERIFY_CLOSED_MS } from '../../ingester/src/backfill.ts';
import { writeHistoryBars } from '../../ingester/src/history-store.ts';
import { waitFor } from './wait-for.ts';

/** A corrected bar: its values while corrected (what alerts raised meanwhile saw) and the signal it withdrew. */
export interface BarCorrection {
  readonly corrected: OhlcBar;
  readonly original: OhlcBar;
  readonly signal: { readonly analyzerId: string; readonly type: string };
  /** The alerter judged the signal's withdrawal before the bar was corrected back. */
  readonly judged: boolean;
  /** What stood when the bar was corrected back: the signal's withdrawals (cause, judged, restored), for the log. */
  readonly state: string;
}

/** A crossing EMA signal undone: its bar's close moved 20 % against the cross. */
const MOVE = 0.2;
/** How long the correction stands at most, waiting for the withdrawal to be judged: the analyzer and the
 * alerter may be down meanwhile (a restart under load takes 20-30 s each). */
const JUDGED_CAP_MS = 120_000;
/** Bars this far behind the stream are out of what the ingester's reconnect backfill checks again
 * (REVERIFY_CLOSED_MS, 15 min): it would correct the bar back before the analyzer re-ran. */
export const OLDER_THAN_BACKFILL_MS = REVERIFY_CLOSED_MS + 5 * 60_000;
/** A write through a database restart (seconds) or an analyzer's busy pass. */
const WRITE_CAP_MS = 30_000;

interface Candidate {
  t: number;
  type: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/**
 * Corrects the bar of the newest `ema` signal at or before `latestBarMs` whose alert was delivered
 * (undefined: none yet), waits for the withdrawal to be judged, then corrects the bar back.
 */
export async function correctBarAfterSignal(pool: pg.Pool, contractId: string, latestBarMs: number): Promise<BarCorrection | undefined> {
  const { rows } = await pool.query<Candidate>(
    `SELECT (extract(epoch FROM s."timestamp") * 1000)::float8 AS t, s.signal_type AS type, b.open, b.high, b.low, b.close, b.volume
       FROM detected_signals s
       JOIN ohlc_bars b ON b.contract_id = s.contract_id AND b.timeframe = '1m' AND b."timestamp" = s."timestamp" AND b.is_closed
      WHERE s.analyzer_id = 'ema' AND s.contract_id = $1 AND s.timeframe = '1m' AND s.signal_type IN ('buy', 'sell')
        AND EXISTS (SELECT 1 FROM alerts a JOIN alert_deliveries d USING (alert_id)
                     WHERE a.rule_name = 'chaos-ema-signal' AND a.contract_id = s.contract_id AND a.bar_time = s."timestamp"
                       AND a.setup_type = s.signal_type AND d.kind = 'alert' AND d.status = 'delivered')
        AND s."timestamp" <= to_timestamp($2::float8 / 1000)
      ORDER BY s."timestamp" DESC LIMIT 1`,
    [contractId, latestBarMs],
  );
  const c = rows[0];
  if (c === undefined) return undefined;
  const original: OhlcBar = { time: c.t, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume };
  // A buy crossed up on this close: a much lower one keeps the fast EMA below the slow one here (a sell: higher).
  const close = Math.round(c.close * (c.type === 'buy' ? 1 - MOVE : 1 + MOVE) * 100) / 100;
  const corrected: OhlcBar = { ...original, close, high: Math.max(c.high, close), low: Math.min(c.low, close) };
  if (!(await writeBar(pool, contractId, corrected))) return undefined;
  const judged = await waitFor(JUDGED_CAP_MS, async () => {
    const { rowCount } = await pool.query(
      `SELECT 1 FROM signal_withdrawals WHERE analyzer_id = 'ema' AND contract_id = $1 AND timeframe = '1m'
          AND "timestamp" = to_timestamp($2::float8 / 1000) AND signal_type = $3 AND handled_at IS NOT NULL`,
      [contractId, c.t, c.type],
    );
    return (rowCount ?? 0) > 0;
  });
  const state = await pool
    .query<{ s: string }>(
      `SELECT coalesce(string_agg(cause || ' judged ' || (handled_at IS NOT NULL) || ' restored ' || coalesce(restored::text, '-'), ', '), 'none') ||
              '; signal stored: ' || EXISTS (SELECT 1 FROM detected_signals WHERE analyzer_id = 'ema' AND contract_id = $1 AND timeframe = '1m'
                                               AND "timestamp" = to_timestamp($2::float8 / 1000) AND signal_type = $3) ||
              '; ema watermark ' || coalesce((SELECT last_processed_timestamp::text FROM analyzer_watermarks
                                               WHERE analyzer_id = 'ema' AND contract_id = $1 AND timeframe = '1m'), '-') AS s
         FROM signal_withdrawals WHERE analyzer_id = 'ema' AND contract_id = $1 AND timeframe = '1m'
          AND "timestamp" = to_timestamp($2::float8 / 1000) AND signal_type = $3`,
      [contractId, c.t, c.type],
    )
    .then(
      (r) => r.rows[0]?.s ?? '',
      (err: unknown) => `not read: ${(err as Error).message}`,
    );
  // Corrected back even through kills and database restarts; a bar left corrected shows in the bar comparison.
  await writeBar(pool, contractId, original);
  return { corrected, original, signal: { analyzerId: 'ema', type: c.type }, judged, state };
}

/** Written once it succeeds (the database may be restarting), at most for WRITE_CAP_MS. */
function writeBar(pool: pg.Pool, contractId: string, bar: OhlcBar): Promise<boolean> {
  return waitFor(WRITE_CAP_MS, async () => {
    await writeHistoryBars(pool, [{ ...bar, contractId, unit: 2, value: 1, isClosed: true }]);
    return true;
  });
}

/**
 * From `fromMs` on, looks for a bar to correct every couple of seconds (the first `ema` alert may not be
 * delivered yet) until one is corrected and back, or `stop()` says the stream is ending.
 */
export async function correctOneBarDuringRun(
  pool: pg.Pool,
  contractId: string,
  fromMs: number,
  streamNow: () => number,
  stop: () => boolean,
): Promise<BarCorrection | undefined> {
  const LOOK_AGAIN_MS = 2_000;
  while (Date.now() < fromMs && !stop()) await new Promise((r) => setTimeout(r, LOOK_AGAIN_MS));
  while (!stop()) {
    const done = await correctBarAfterSignal(pool, contractId, streamNow() - OLDER_THAN_BACKFILL_MS).catch(() => undefined);
    if (done !== undefined) return done;
    await new Promise((r) => setTimeout(r, LOOK_AGAIN_MS));
  }
  return undefined;
}
