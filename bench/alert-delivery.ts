// bench:alerts, delivery part: a committed signal → the webhook request at a local receiver (p50/p99 at
// 100 alerts/s; targets 20 / 100 ms), and 10,000 deliveries queued during an outage drained to the
// receiver (target ≥ 1,000/s). The alerter runs in this process on a migrated PostgreSQL.
import { writeFileSync, mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../core/src/node/logger.ts';
import { createPool } from '../core/src/node/db-pool.ts';
import { parseSettings } from '../core/src/node/load-config.ts';
import { AlerterService } from '../alerter/src/alerter-service.ts';
import { storeStep } from '../alerter/src/alert-store.ts';
import { DeliveryQueue } from '../alerter/src/delivery-queue.ts';
import { DeliveryWorker } from '../alerter/src/delivery-worker.ts';
import { createSenders } from '../alerter/src/destinations/senders.ts';
import { writeFlush } from '../ingester/src/bar-store.ts';
import { WebhookReceiver } from '../tests/fakes/webhook-receiver.ts';
import { minuteAlert } from '../tests/support/minute-alert.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { figure, percentile } from './lib/report.ts';

const CONTRACT = 'SIM.MES';
const SECRET = 'bench-secret';
const RATE_PER_S = 100;
const LATENCY_ALERTS = Number(process.env.BENCH_ALERTS ?? 1_000);
const DRAIN = Number(process.env.BENCH_DRAIN ?? 10_000);
const T0 = Date.parse('2025-03-03T00:00:00Z');
const MINUTE = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.timeOrigin + performance.now();

const settings = parseSettings({
  contracts: [{ id: CONTRACT, provider: 'simulated', symbol: 'SIMMES', tick_size: 0.25, session_calendar: 'utc' }],
  ingester: { contracts: [CONTRACT], timeframes: ['1m'] },
  analyzer: { targets: [{ analyzer_id: 'bench', strategy: 'ema_cross', contract_id: CONTRACT, timeframes: ['1m'] }] },
  alerter: { metrics_port: 0, watchlist_seed: [CONTRACT], delivery: { concurrency: 32, attempt_timeout_ms: 5_000 } },
  logging: { level: 'warn' },
});

async function latency(url: string, receiver: WebhookReceiver, hook: string): Promise<void> {
  const pool = createPool(url, { max: 4 });
  const root = mkdtempSync(join(tmpdir(), 'bench-alerts-'));
  mkdirSync(join(root, 'config', 'rules'), { recursive: true });
  writeFileSync(
    join(root, 'config', 'rules', 'bench.yaml'),
    '- { name: bench-signal, rule_type: signal, analyzer_id: bench, contracts: [SIM.MES], timeframes: [1m] }\n',
  );
  // Bars far ahead, so only the analyzer's watermark (written with each signal) holds evaluation back.
  const bars = Array.from({ length: LATENCY_ALERTS + 10 }, (_, i) => ({
    time: T0 + i * MINUTE,
    open: 100,
    high: 101,
    low: 99,
    close: 100,
    volume: 10,
    contractId: CONTRACT,
    unit: 2 as const,
    value: 1,
    isClosed: true,
  }));
  for (let i = 0; i < bars.length; i += 500) await writeFlush(pool, bars.slice(i, i + 500), []);
  await pool.query(`INSERT INTO analyzer_watermarks (analyzer_id, contract_id, timeframe, last_processed_timestamp)
    VALUES ('alerter', '*', '*', to_timestamp(${(T0 - 1) / 1000})), ('bench', '${CONTRACT}', '1m', to_timestamp(${(T0 - MINUTE) / 1000}))`);
  await pool.query(`INSERT INTO alert_destinations (name, kind, config, secret) VALUES ('bench', 'webhook', $1, $2)`, [
    JSON.stringify({ url: hook }),
    SECRET,
  ]);
  const alerter = new AlerterService({
    settings,
    databaseUrl: url,
    rootDir: root,
    logger: createLogger('alerter', 'warn'),
    metricsPort: 0,
  });
  await alerter.start();

  const committedAt = new Map<string, number>();
  const client = await pool.connect();
  const started = now();
  for (let i = 0; i < LATENCY_ALERTS; i++) {
    const due = started + (i * 1000) / RATE_PER_S;
    if (due > now()) await sleep(due - now());
    const barTime = new Date(T0 + i * MINUTE);
    await client.query('BEGIN');
    const { rows } = await client.query<{ signal_id: number }>(
      `INSERT INTO detected_signals (analyzer_id, "timestamp", trigger_timestamp, contract_id, timeframe, signal_type, signal_price)
       VALUES ('bench', $1, $1, $2, '1m', 'bullish_cross', 100) RETURNING signal_id`,
      [barTime, CONTRACT],
    );
    await client.query(`SELECT pg_notify('signal_detected', $1)`, [
      JSON.stringify({
        type: 'signal',
        signal_id: rows[0]!.signal_id,
        analyzer_id: 'bench',
        contract_id: CONTRACT,
        timeframe: '1m',
        timestamp: barTime.toISOString(),
        trigger_timestamp: barTime.toISOString(),
        signal_type: 'bullish_cross',
        signal_price: 100,
        details: {},
      }),
    ]);
    await client.query(`UPDATE analyzer_watermarks SET last_processed_timestamp = $1 WHERE analyzer_id = 'bench'`, [barTime]);
    await client.query('COMMIT');
    committedAt.set(barTime.toISOString(), now());
  }
  client.release();
  const deadline = now() + 120_000;
  while (receiver.acceptedOn('/latency').length < LATENCY_ALERTS && now() < deadline) await sleep(50);
  const ms = receiver.requests
    .filter((r) => r.path === '/latency' && r.answered === 200)
    .map((r) => r.receivedAt - (committedAt.get((r.body as { bar_time: string }).bar_time) ?? NaN))
    .filter((v) => Number.isFinite(v))
    .sort((a, b) => a - b);
  const rate = (LATENCY_ALERTS * 1000) / (Math.max(...committedAt.values()) - started);
  figure('committed signal → webhook received: p50', percentile(ms, 50), 'ms', 'target ≤ 20 ms');
  figure('committed signal → webhook received: p99', percentile(ms, 99), 'ms', 'target ≤ 100 ms');
  figure('  max', percentile(ms, 100), 'ms', `${ms.length} of ${LATENCY_ALERTS} alerts at ${rate.toFixed(0)} signals/s offered`);
  await alerter.stop();
  await pool.end();
}

async function drain(url: string, receiver: WebhookReceiver, hook: string): Promise<void> {
  const pool = createPool(url, { max: 40 });
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO alert_destinations (name, kind, config, secret) VALUES ('drain', 'webhook', $1, $2) RETURNING destination_id AS id`,
    [JSON.stringify({ url: hook }), SECRET],
  );
  await pool.query(`UPDATE alert_destinations SET is_active = false WHERE destination_id <> $1`, [rows[0]!.id]);
  const queue = new DeliveryQueue({ connectionString: url, expireInSeconds: 30 });
  await queue.start();
  // The outage: alerts stored with their delivery jobs while no worker runs.
  const alerts = Array.from({ length: DRAIN }, (_, i) => minuteAlert('drain', i, `drain|${CONTRACT}|1m|${i}|x`));
  for (let i = 0; i < alerts.length; i += 1_000) await storeStep(pool, queue, alerts.slice(i, i + 1_000), undefined);
  const worker = new DeliveryWorker({
    pool,
    queue,
    senders: createSenders(),
    logger: createLogger('drain', 'warn'),
    concurrency: 32,
    attemptTimeoutMs: 5_000,
    pollIntervalMs: 1_000,
    retry: { maxAttempts: 5, backoffMs: 100, backoffMaxMs: 1_000 },
  });
  const t0 = now();
  worker.start();
  const deadline = t0 + 600_000;
  while (receiver.acceptedOn('/drain').length < DRAIN && now() < deadline) await sleep(20);
  const seconds = (now() - t0) / 1000;
  await worker.stop();
  await queue.stop();
  figure(
    'drain of queued deliveries',
    receiver.acceptedOn('/drain').length / seconds,
    'deliveries/s',
    `${DRAIN.toLocaleString('en-US')} queued, concurrency 32; target ≥ 1,000/s`,
  );
  await pool.end();
}

export async function runDeliveryBench(): Promise<void> {
  const db = await benchDatabase();
  const receiver = new WebhookReceiver(SECRET);
  const base = await receiver.start();
  try {
    await latency(db.url, receiver, `${base}/latency`);
    await drain(db.url, receiver, `${base}/drain`);
  } finally {
    await receiver.stop();
    await db.stop();
  }
}
