// npm run chaos: the whole stack on a fixed market stream while processes are SIGKILLed, PostgreSQL
// restarts, the exchange drops connections and garbage arrives; then bars, signals and every
// client's rebuilt bars are compared with the clean result, and the alerts stored and delivered to a
// webhook receiver failing half its requests with a batch evaluation. `--short` is the CI form.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { applyMigrations } from '../../prisma/index.ts';
import { seededRandom } from '../../ingester/src/providers/seeded-random.ts';
import { type EmbeddedDatabase, startEmbeddedDatabase } from '../../scripts/lib/embedded-database.ts';
import { FakeBinanceServer } from '../fakes/binance-server.ts';
import { freePort } from '../support/free-port.ts';
import { correctOneBarDuringRun } from './bar-correction.ts';
import { setUpAlerts } from './chaos-alert-setup.ts';
import { CHAOS_SYMBOL, ChaosMarket } from './chaos-market.ts';
import { type ChaosReport, printReport, printTraderReport } from './chaos-report.ts';
import { chaosSettings } from './chaos-settings.ts';
import { alertsSettled, smcSettled } from './chaos-settled.ts';
import { compareWithClean } from './compare-state.ts';
import { compareSmc } from './compare-smc.ts';
import { garbage, hostileFrames } from './hostile-inputs.ts';
import { ResilientClient } from './resilient-client.ts';
import { WebhookReceiver } from '../fakes/webhook-receiver.ts';
import { chaosRules, compareAlerts } from './compare-alerts.ts';
import { ServiceProcess } from './service-process.ts';
import { rejectedSinceStart, waitHealthy } from './service-health.ts';
import { runTraderChaos } from './trader-chaos.ts';

export type { ChaosReport } from './chaos-report.ts';

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
  writeFileSync(config, JSON.stringify(chaosSettings(market, fake, ports, dir)));
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
  let rejectedSent = 0;
  let rejectedEarlier = 0;
  const end = Date.now() + options.seconds * 1000;
  // A third into the run, beside the faults: a bar corrected after its signal was alerted (a withdrawal,
  // a retraction), then corrected back (the signal found again, alerted again).
  let streamEnding = false;
  const correction = correctOneBarDuringRun(
    pool,
    market.contract.id,
    Date.now() + (options.seconds * 1000) / 3,
    () => market.now(),
    () => streamEnding,
  );
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
  // The correction ends before the stream does (a run too short to find a delivered signal alert skips it).
  streamEnding = true;
  const corrected = await correction;
  if (corrected !== undefined) {
    note('bar corrected after its signal alert, then back');
    log(
      `corrected the 1m bar ${new Date(corrected.corrected.time).toISOString()} (${corrected.signal.analyzerId} ${corrected.signal.type}); withdrawal judged before it was corrected back: ${corrected.judged} (${corrected.state})`,
    );
  }
  // Top up the malformed provider messages to the requested count.
  for (; rejectedSent < options.malformed; rejectedSent++) fake.sendRaw(garbage(random, rejectedSent));
  const last = await market.finish();
  await new Promise((r) => setTimeout(r, 4_000)); // the connect-minute repair and last closes
  const rejectedInputs = rejectedEarlier + (await rejectedSinceStart(ports.ing));
  // The analyzer first (its last recompute may store signals behind the alerter's watermark, which the
  // alerter then re-evaluates), then the alerter.
  await smcSettled(pool, market.contract.id);
  if (!(await alertsSettled(pool, market.contract.id, ports.ana))) log('alerts not settled within the cap: compared as they are');
  for (const s of services) await s.stop();
  for (const c of clients) c.stop();
  const comparison = await compareWithClean(pool, market, clients, last);
  const smc = await compareSmc(pool, market.contract.id);
  const alerts = await compareAlerts(pool, market.contract.id, receiver, corrected === undefined ? [] : [corrected]);
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
