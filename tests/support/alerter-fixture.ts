// An alerter on a test database: a rules directory of its own, webhook destinations on a local receiver,
// bars written as the ingester writes them and signals as the analyzer stores them (with its watermark).
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContractBar, OhlcBar, SignalEvent, TimeframeUnit } from '../../core/src/index.ts';
import { channels } from '../../core/src/index.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import type { Pool } from '../../core/src/node/db-pool.ts';
import { writeFlush } from '../../ingester/src/bar-store.ts';
import { AlerterService } from '../../alerter/src/alerter-service.ts';
import { quietLogger } from './quiet-logger.ts';

export const CONTRACT = 'SIM.MES';
export const SECRET = 'test-webhook-secret';

/** A repository root holding only config/rules/<name> files. */
export function rulesRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'alerter-rules-'));
  mkdirSync(join(root, 'config', 'rules'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, 'config', 'rules', name), text);
  return root;
}

/** `more`: other contracts (UTC calendar, simulated) watched beside CONTRACT, and the ingester's timeframes. */
export function alerterSettings(
  delivery: Record<string, number> = {},
  targets: { analyzer_id: string; timeframes: string[] }[] = [],
  more: { contracts?: string[]; timeframes?: string[] } = {},
) {
  const contracts = [CONTRACT, ...(more.contracts ?? [])];
  return parseSettings({
    contracts: contracts.map((id) => ({
      id,
      provider: 'simulated',
      symbol: id.replace(/\W/g, ''),
      tick_size: 0.25,
      session_calendar: 'utc',
    })),
    ingester: { contracts, timeframes: more.timeframes ?? ['1m', '5m'] },
    analyzer: {
      targets: targets.map((t) => ({ analyzer_id: t.analyzer_id, strategy: 'ema_cross', contract_id: CONTRACT, timeframes: t.timeframes })),
    },
    alerter: {
      metrics_port: 0,
      watchlist_seed: contracts,
      delivery: {
        concurrency: 4,
        max_attempts: 3,
        backoff_ms: 1,
        backoff_max_ms: 20,
        attempt_timeout_ms: 2_000, // a healthy local receiver answers well within it even on a loaded machine
        poll_interval_ms: 500,
        ...delivery,
      },
    },
  });
}

/** Starts an alerter; `fromTheStart` (default): evaluating every bar stored, as if it had run since the epoch
 * (without it, the first start only warms up on what is stored before now). */
export async function startAlerter(
  url: string,
  root: string,
  settings: ReturnType<typeof alerterSettings>,
  fromTheStart = true,
): Promise<AlerterService> {
  if (fromTheStart) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(
      `INSERT INTO analyzer_watermarks (analyzer_id, contract_id, timeframe, last_processed_timestamp)
       VALUES ('alerter', '*', '*', to_timestamp(0)) ON CONFLICT DO NOTHING`,
    );
    await client.end();
  }
  const service = new AlerterService({ settings, databaseUrl: url, rootDir: root, logger: quietLogger('alerter'), metricsPort: 0 });
  await service.start();
  return service;
}

export async function addWebhook(
  pool: Pool,
  name: string,
  url: string,
  options: { minSeverity?: string; format?: string; secret?: string } = {},
): Promise<number> {
  const { rows } = await pool.query<{ destination_id: string }>(
    `INSERT INTO alert_destinations (name, kind, config, secret, min_severity) VALUES ($1, 'webhook', $2, $3, $4) RETURNING destination_id`,
    [name, JSON.stringify({ url, format: options.format ?? 'plain' }), options.secret ?? SECRET, options.minSeverity ?? 'info'],
  );
  return Number(rows[0]!.destination_id);
}

/** One closed bar (1m unless told) as the ingester stores it (upsert + ohlc_update in one transaction). */
export async function writeBar(
  pool: Pool,
  bar: OhlcBar,
  timeframe: { unit: TimeframeUnit; value: number } = { unit: 2, value: 1 },
  contractId = CONTRACT,
): Promise<void> {
  const contractBar: ContractBar = { ...bar, contractId, unit: timeframe.unit, value: timeframe.value, isClosed: true };
  await writeFlush(pool, [contractBar], []);
}

/** The analyzer's store for one target: its new signals and its watermark (the last bar it analysed), NOTIFY
 * included. As the analyzer does, trigger_timestamp is left to its default (the insert's wall-clock time)
 * and the trigger bar's open time goes in details.trigger_time. */
export async function writeAnalyzerStep(
  pool: Pool,
  analyzerId: string,
  timeframe: string,
  barTime: number,
  signals: readonly SignalEvent[],
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const s of signals) {
      const details = { ...s.details, trigger_time: new Date(s.triggerTime).toISOString() };
      const { rows } = await client.query<{ signal_id: number; trigger_timestamp: Date }>(
        `INSERT INTO detected_signals (analyzer_id, "timestamp", contract_id, timeframe, signal_type, signal_price, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING signal_id, trigger_timestamp`,
        [s.analyzerId, new Date(s.barTime), s.contractId, s.timeframe, s.type, s.price, JSON.stringify(details)],
      );
      await client.query('SELECT pg_notify($1, $2)', [
        channels.signalDetected.name,
        JSON.stringify({
          type: 'signal',
          signal_id: rows[0]!.signal_id,
          analyzer_id: s.analyzerId,
          contract_id: s.contractId,
          timeframe: s.timeframe,
          timestamp: new Date(s.barTime).toISOString(),
          trigger_timestamp: rows[0]!.trigger_timestamp.toISOString(),
          signal_type: s.type,
          signal_price: s.price,
          details,
        }),
      ]);
    }
    await client.query(
      `INSERT INTO analyzer_watermarks (analyzer_id, contract_id, timeframe, last_processed_timestamp) VALUES ($1, $2, $3, $4)
       ON CONFLICT (analyzer_id, contract_id, timeframe) DO UPDATE SET last_processed_timestamp = EXCLUDED.last_processed_timestamp`,
      [analyzerId, CONTRACT, timeframe, new Date(barTime)],
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}
