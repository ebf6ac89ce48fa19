// npm run chaos: the whole stack on a fixed market stream while processes are SIGKILLed, PostgreSQL
// restarts, the exchange drops connections and garbage arrives; then bars, signals and every
// client's rebuilt bars are compared with the clean result, and the alerts stored and delivered to a
// webhook receiver failing half its requests with a batch evaluation. `--short` is the CI form.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import WebSocket from 'ws';
import { applyMigrations } from '../../prisma/index.ts';
import { seededRandom } from '../../ingester/src/providers/seeded-random.ts';
import { type EmbeddedDatabase, startEmbeddedDatabase } from '../../scripts/lib/embedded-database.ts';
import { FakeBinanceServer } from '../fakes/binance-server.ts';
import { freePort } from '../support/free-port.ts';
import { CHAOS_SYMBOL, ChaosMarket } from './chaos-market.ts';
import { compareWithClean, type Comparison } from './compare-state.ts';
import { chaosSmcStudy, compareSmc } from './compare-smc.ts';
import { ResilientClient } from './resilient-client.ts';
import { WebhookReceiver } from '../fakes/webhook-receiver.ts';
import { chaosRules, compareAlerts, type AlertComparison } from './compare-alerts.ts';
import { ServiceProcess } from './service-process.ts';
import { runTraderChaos, type TraderChaosReport } from './trader-chaos.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const SPEED = 60;

export interface ChaosOptions {
  readonly seconds: number;
  readonly seed: number;
  readonly malformed: number;
  /** The run goes on past `seconds` until this many services were killed with SIGKILL. */
  readonly minKills?: number;
  readonly log?: (line: string) => void;
}
export interface ChaosReport extends Comparison {
  readonly faults: Record<string, number>;
  readonly recoveryMs: Record<string, number[]>;
  readonly crashes: number;
  readonly rejectedInputs: number;
  /** Malformed provider messages the fake exchange sent (to whichever connection was open). */
  readonly malformedSent: number;
  readonly tradesSent: number;
  /** Rows of the SMC study's batch answer compared with smc_events / zones. */
  readonly smcRowsCompared: number;
  readonly alerts: AlertComparison;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => undefined);
  const random = seededRandom(options.seed);
  const dir = mkdtempSync(join(tmpdir(), 'barstream-chaos-'));
  const ports = {
    pg: await freePort(),
    ws: await freePort(),
    ing: await freePort(),
    ana: await freePort(),
    bm: await freePort(),
    alt: await freePort(),
  };
  let db: EmbeddedDatabase = await startEmbeddedDatabase({ dataDir: join(dir, 'pg'), port: ports.pg });
  await applyMigrations(db.url);
  const fake = await FakeBinanceServer.start({ pingIntervalMs: 5_000 });
  const streamStart = Math.floor((Date.now() - 8 * 3_600_000) / 60_000) * 60_000 + 7_000;
  const market = new ChaosMarket(fake, streamStart, SPEED, options.seed, 240);
  const config = join(dir, 'settings.yaml');
  // The alerter's rules, and a webhook destination on a receiver that fails half the requests.
  mkdirSync(join(dir, 'rules'));
  writeFileSync(join(dir, 'rules', 'chaos.yaml'), chaosRules(CHAOS_SYMBOL));
  const receiver = new WebhookReceiver('chaos-secret', options.seed);
  const hookUrl = `${await receiver.start()}/hook`;
  receiver.setMode('/hook', { kind: 'flaky', failShare: 0.5 });
  await setUpAlerts(db.url, hookUrl);
  writeFileSync(
    config,
    JSON.stringify({
      contracts: [market.contract],
      ingester: {
        provider: 'binance',
        contracts: [CHAOS_SYMBOL],
        timeframes: ['1m', '5m'],
        flush_interval_ms: 100,
        close_grace_ms: 1_000,
        max_clock_skew_ms: 2 * 86_400_000,
        backfill_lookback_hours: 0.5,
        metrics_port: ports.ing,
      },
      providers: { binance: { rest_url: fake.restUrl, ws_url: fake.wsUrl } },
      analyzer: {
        metrics_port: ports.ana,
        sweep_cron: '*/5 * * * * *',
        targets: [
          { analyzer_id: 'trend', strategy: 'cus_cds_trend_finder', contract_id: CHAOS_SYMBOL, timeframes: ['1m'] },
          { analyzer_id: 'ema', strategy: 'ema_cross_rsi', contract_id: CHAOS_SYMBOL, timeframes: ['1m'], params: { fast: 5, slow: 12 } },
        ],
        smc: [chaosSmcStudy(CHAOS_SYMBOL)],
      },
      broadcaster: { port: ports.ws, metrics_port: ports.bm },
      alerter: {
        metrics_port: ports.alt,
        rules_dir: join(dir, 'rules'),
        watchlist_seed: [CHAOS_SYMBOL],
        delivery: { max_attempts: 100, backoff_ms: 20, backoff_max_ms: 500, attempt_timeout_ms: 2_000, queue_maintenance_s: 1 },
      },
      logging: { level: 'warn' },
    }),
  );
  const env = { ...process.env, BARSTREAM_CONFIG: config, DATABASE_URL: db.url };
  const services = (['ingester', 'analyzer', 'broadcaster', 'alerter'] as const).map((n) => new ServiceProcess(n, env, ROOT));
  const metricsPort: Readonly<Record<string, number>> = {
    ingester: ports.ing,
    analyzer: ports.ana,
    broadcaster: ports.bm,
    alerter: ports.alt,
  };
  for (const s of services) s.start();
  market.start();
  const pool = new pg.Pool({ connectionString: db.url, max: 3 });
  pool.on('error', () => undefined);
  const clients = [0, 1, 2].map(() => new ResilientClient(`ws://127.0.0.1:${ports.ws}`, pool, CHAOS_SYMBOL));
  await new Promise((r) => setTimeout(r, 3_000));
  for (const c of clients) c.start();

  const faults: Record<string, number> = {};
  const recoveryMs: Record<string, number[]> = {};
  const note = (kind: string, ms?: number) => {
    faults[kind] = (faults[kind] ?? 0) + 1;
    if (ms !== undefined) (recoveryMs[kind] ??= []).push(ms);
    log(`fault ${kind}${ms === undefined ? '' : ` recovered in ${ms} ms`}`);
  };
  const healthy = async (port: number): Promise<boolean> => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/health`)).ok;
    } catch {
      return false;
    }
  };
  const waitHealthy = async (port: number): Promise<number> => {
    const t = Date.now();
    while (!(await healthy(port)) && Date.now() - t < 30_000) await new Promise((r) => setTimeout(r, 50));
    return Date.now() - t;
  };
  let rejectedSent = 0;
  let rejectedEarlier = 0;
  const end = Date.now() + options.seconds * 1000;
  let kills = 0;
  // Every run SIGKILLs the alerter and restarts PostgreSQL while alerts are raised and delivered.
  const forced: Array<'alerter' | 'pg'> = ['alerter', 'pg'];
  while (Date.now() < end || kills < (options.minKills ?? 0) || forced.length > 0) {
    await new Promise((r) => setTimeout(r, 1_000 + random() * 2_500));
    const force = forced.shift();
    const pick = force === 'alerter' ? 0 : force === 'pg' ? 0.5 : random();
    if (pick < 0.45) {
      const s = (force === 'alerter' ? services[3] : services[Math.floor(random() * services.length)]) as ServiceProcess;
      // The rejection counter restarts with the ingester: keep what this run of it counted.
      if (s.name === 'ingester') rejectedEarlier += Math.max(0, await rejectedSinceStart(ports.ing));
      s.kill();
      kills++;
      await new Promise((r) => setTimeout(r, 300 + random() * 1_500));
      s.start();
      note(`kill -9 ${s.name}`, await waitHealthy(metricsPort[s.name] ?? 0));
    } else if (pick < 0.55) {
      const t = Date.now();
      await db.stop();
      await new Promise((r) => setTimeout(r, 500 + random() * 1_500));
      db = await startEmbeddedDatabase({ dataDir: join(dir, 'pg'), port: ports.pg });
      await waitHealthy(ports.ana);
      note('PostgreSQL restart', Date.now() - t);
    } else if (pick < 0.75) {
      fake.terminateAll();
      const t = Date.now();
      while (fake.open.length === 0 && Date.now() - t < 30_000) await new Promise((r) => setTimeout(r, 20));
      note('exchange drops connection', Date.now() - t);
    } else if (pick < 0.9) {
      const n = Math.max(1, Math.floor(options.malformed / Math.max(1, options.seconds / 3)));
      for (let i = 0; i < n; i++) fake.sendRaw(garbage(random, i));
      rejectedSent += n;
      note('malformed provider message bursts');
    } else {
      await hostileFrames(`ws://127.0.0.1:${ports.ws}`, random);
      note('hostile WebSocket client');
    }
  }
  // Top up the malformed provider messages to the requested count.
  for (; rejectedSent < options.malformed; rejectedSent++) fake.sendRaw(garbage(random, rejectedSent));
  const last = await market.finish();
  await new Promise((r) => setTimeout(r, 4_000)); // the connect-minute repair and last closes
  const rejectedInputs = rejectedEarlier + (await rejectedSinceStart(ports.ing));
  // The analyzer first (its last recompute may store signals behind the alerter's watermark, which the
  // alerter then re-evaluates), then the alerter.
  await smcSettled(pool, market.contract.id);
  await alertsSettled(pool);
  for (const s of services) await s.stop();
  for (const c of clients) c.stop();
  const comparison = await compareWithClean(pool, market, clients, last);
  const smc = await compareSmc(pool, market.contract.id);
  const alerts = await compareAlerts(pool, market.contract.id, receiver);
  await receiver.stop();
  const crashes = services.reduce((n, s) => n + s.crashes, 0);
  await pool.end();
  await fake.close();
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
  return {
    ...comparison,
    differences: [...comparison.differences, ...smc.differences, ...alerts.differences],
    smcRowsCompared: smc.smcRowsCompared,
    alerts,
    faults,
    recoveryMs,
    crashes,
    rejectedInputs,
    malformedSent: rejectedSent,
    tradesSent: market.sent,
  };
}

/** The alerter evaluates from the first bar (its watermark at the epoch) and delivers to one webhook. */
async function setUpAlerts(url: string, hookUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(
    `INSERT INTO analyzer_watermarks (analyzer_id, contract_id, timeframe, last_processed_timestamp) VALUES ('alerter', '*', '*', to_timestamp(0))`,
  );
  await client.query(`INSERT INTO alert_destinations (name, kind, config, secret) VALUES ('chaos-hook', 'webhook', $1, 'chaos-secret')`, [
    JSON.stringify({ url: hookUrl }),
  ]);
  await client.end();
}

/** Until the alerter has evaluated what the stream left and no delivery is pending (up to a minute). */
async function alertsSettled(pool: pg.Pool): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = '';
  let stable = 0;
  while (Date.now() < deadline && stable < 3) {
    await new Promise((r) => setTimeout(r, 1_000));
    try {
      const { rows } = await pool.query<{ w: string; pending: number }>(
        `SELECT (SELECT last_processed_timestamp::text FROM analyzer_watermarks WHERE analyzer_id = 'alerter' AND timeframe = '*') AS w,
                (SELECT count(*)::int FROM alert_deliveries WHERE status IN ('queued', 'retrying')) AS pending`,
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
async function smcSettled(pool: pg.Pool, contractId: string): Promise<void> {
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

function garbage(random: () => number, i: number): string {
  const kinds = [
    '{',
    'null',
    '[]',
    '{"stream":"chaosusdt@trade","data":{"e":"trade"}}',
    '{"stream":"chaosusdt@trade","data":{"e":"trade","s":"CHAOSUSDT","t":-1,"p":"abc","q":"1","T":0,"m":true}}',
    '{"stream":"chaosusdt@trade","data":{"e":"trade","s":"CHAOSUSDT","t":1,"p":"NaN","q":"-5","T":1,"m":false}}',
    `{"stream":"x@trade","data":${i}}`,
    '\u0000\u0001',
    '{"stream":"chaosusdt@trade","data":{"e":"trade","s":"OTHER","t":5,"p":"1","q":"1","T":1,"m":true}}',
  ];
  return kinds[Math.floor(random() * kinds.length)] as string;
}

async function hostileFrames(url: string, random: () => number): Promise<void> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve) => {
    ws.once('open', () => resolve());
    ws.once('error', () => resolve());
  });
  if (ws.readyState !== ws.OPEN) return;
  const frames = [
    'not json',
    '{"type":"subscribe"}',
    JSON.stringify({ type: 'subscribe', channel: 'bars', contract_id: 'x'.repeat(5_000) }),
    '{"type":"nope"}',
    'x'.repeat(100_000),
  ];
  for (let i = 0; i < 60; i++) ws.send(frames[Math.floor(random() * frames.length)] as string);
  ws.send(Buffer.from([1, 2, 3]));
  await new Promise((r) => setTimeout(r, 100));
  ws.terminate();
}

/** ingester_ticks_rejected_total since the ingester's last (re)start, from its /metrics. */
async function rejectedSinceStart(port: number): Promise<number> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    return text
      .split('\n')
      .filter((l) => l.startsWith('ingester_ticks_rejected_total'))
      .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
  } catch {
    return -1;
  }
}

function printReport(r: ChaosReport): void {
  const rows: Array<[string, string]> = [];
  for (const [kind, count] of Object.entries(r.faults)) {
    const rec = [...(r.recoveryMs[kind] ?? [])].sort((a, b) => a - b);
    rows.push([
      kind,
      `${count}${rec.length ? `   recovery p50 ${rec[Math.floor(rec.length / 2)]} ms, max ${rec[rec.length - 1]} ms` : ''}`,
    ]);
  }
  rows.push(
    ['trades sent by the exchange', String(r.tradesSent)],
    ['closed bars compared', String(r.barsCompared)],
    ['signals compared', String(r.signalsCompared)],
    ["signals triggered after the stream's end (not compared)", String(r.signalsAfterEnd)],
    ['client bar sets compared', String(r.clientsCompared)],
    ['SMC rows compared (smc_events + zones == batch)', String(r.smcRowsCompared)],
    ['differences (must be 0)', String(r.differences.length)],
    ['malformed provider messages sent', String(r.malformedSent)],
    ['bad provider inputs rejected (summed over ingester restarts)', String(r.rejectedInputs)],
    ['alerts expected (batch over stored bars and signals)', String(r.alerts.alertsExpected)],
    ['alerts stored', String(r.alerts.alertsStored)],
    ['alert deliveries delivered (receiver fails 50%)', String(r.alerts.deliveriesDelivered)],
    ['redeliveries of an accepted key (at-least-once; receiver dedupes)', String(r.alerts.redeliveries)],
    ['alerts missing (each a difference; must be 0)', String(r.alerts.missing)],
    ['crashes (must be 0)', String(r.crashes)],
  );
  for (const [k, v] of rows) console.log(`${k.padEnd(62)} ${v}`);
  for (const d of r.differences.slice(0, 20)) console.log(`  diff: ${d}`);
}

function printTraderReport(r: TraderChaosReport): void {
  const rows: Array<[string, string]> = [
    ['trader: kill -9 during a paper run', String(r.kills)],
    ['trader: bars / orders / fills compared with a backtest', `${r.bars} / ${r.orders} / ${r.fills}`],
    ['trader: differences (duplicate orders, lost fills, equity; must be 0)', String(r.differences.length)],
    ['trader: crashes (must be 0)', String(r.crashes)],
  ];
  for (const [k, v] of rows) console.log(`${k.padEnd(62)} ${v}`);
  for (const d of r.differences.slice(0, 20)) console.log(`  diff: ${d}`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) {
  const { values } = parseArgs({ options: { short: { type: 'boolean' }, seed: { type: 'string' }, seconds: { type: 'string' } } });
  const short = values.short ?? false;
  const report = await runChaos({
    seconds: Number(values.seconds ?? (short ? 45 : 300)),
    seed: Number(values.seed ?? 7),
    malformed: short ? 2_000 : 10_000,
    minKills: short ? 0 : 20,
    log: (l) => console.log(l),
  });
  printReport(report);
  // The trader's part (tests/chaos/trader-chaos.ts): SIGKILLs during a paper run vs an uninterrupted backtest.
  const trader = await runTraderChaos({ bars: short ? 1_500 : 6_000, seed: Number(values.seed ?? 7), log: (l) => console.log(l) });
  printTraderReport(trader);
  // The same with the tick fill model: trades stored and NOTIFYd before their bars, filled as they arrive.
  const tickTrader = await runTraderChaos({
    bars: short ? 400 : 2_000,
    seed: Number(values.seed ?? 7),
    fillModel: 'tick',
    log: (l) => console.log(l),
  });
  console.log('trader, tick fill model:');
  printTraderReport(tickTrader);
  const traderOk = [trader, tickTrader].every((t) => t.differences.length === 0 && t.crashes === 0);
  // Explicit exit with the verdict, whatever handles are still open.
  process.exit(report.differences.length === 0 && report.crashes === 0 && traderOk ? 0 : 1);
}
