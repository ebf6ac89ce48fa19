// npm run bench:ingest — sustained ticks/s through aggregation (3 timeframes) + tick storage +
// NOTIFY, against the origin's design (one INSERT … ON CONFLICT + pg_notify transaction per tick),
// plus tick → NOTIFY-received latency at 2,000 ticks/s.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { BarAggregator, parseTimeframe, SessionCalendar, UTC_CALENDAR } from '../core/src/index.ts';
import { createMetricsRegistry, createPool, type Pool } from '../core/src/node.ts';
import { createIngestMetrics } from '../ingester/src/ingest-metrics.ts';
import { IngestPipeline } from '../ingester/src/ingest-pipeline.ts';
import { INGESTER_NODE_FLAGS } from '../ingester/src/node-flags.ts';
import { MarketClock } from '../ingester/src/market-clock.ts';
import { quietLogger } from '../tests/support/quiet-logger.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { figure, percentile, printMachine } from './lib/report.ts';

const TOTAL = Number(process.env.BENCH_TICKS ?? 1_000_000);
const CONTRACTS = ['BENCH.A', 'BENCH.B', 'BENCH.C', 'BENCH.D'];
const TIMEFRAMES = ['1m', '5m', '1h'].map((t) => parseTimeframe(t));
const calendar = new SessionCalendar(UTC_CALENDAR);
/** The part of a tick_data_channel payload read here (microsecond ISO timestamps). */
type TickPayload = { ticks?: { timestamp: string }[] };

function pipelineOn(pool: Pool, clock: MarketClock) {
  const metrics = createIngestMetrics(createMetricsRegistry('bench'));
  const aggregator = new BarAggregator({ timeframes: TIMEFRAMES, calendarFor: () => calendar, graceMs: 1_000 });
  const pipeline = new IngestPipeline({
    pool,
    aggregator,
    clock,
    logger: quietLogger('bench'),
    metrics,
    contracts: new Set(CONTRACTS),
    flushIntervalMs: 250,
    maxClockSkewMs: 300_000,
  });
  return { pipeline, metrics };
}

/** Runs the pipeline and its load generator in a child process (bench/ingest-worker.ts), counting
 * the NOTIFYed ticks here; peak RSS is the child's VmHWM. */
async function throughput(url: string): Promise<{ ticksPerSecond: number; maxRssMb: number; notified: number }> {
  const listener = new pg.Client({ connectionString: url });
  await listener.connect();
  listener.on('error', () => undefined);
  let notified = 0;
  listener.on('notification', (n) => {
    notified += ((JSON.parse(n.payload ?? '{}') as TickPayload).ticks ?? []).length;
  });
  await listener.query('LISTEN tick_data_channel');
  const child = spawn(
    process.execPath,
    [...INGESTER_NODE_FLAGS, '--import', 'tsx', fileURLToPath(new URL('./ingest-worker.ts', import.meta.url))],
    { env: { ...process.env, BENCH_URL: url, BENCH_TICKS: String(TOTAL) }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`ingest worker failed (exit ${code}): ${out}`);
  await new Promise((r) => setTimeout(r, 300));
  await listener.end();
  const result = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { ticksPerSecond: number; peakRssMb: number };
  return { ticksPerSecond: result.ticksPerSecond, maxRssMb: result.peakRssMb, notified };
}

async function baseline(url: string, ticks: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const t0 = Date.parse('2026-02-02T00:00:00Z');
  const started = performance.now();
  for (let i = 0; i < ticks; i++) {
    const time = new Date(t0 + i * 10);
    const minute = new Date(Math.floor((t0 + i * 10) / 60_000) * 60_000);
    const price = 5000 + (i % 20) * 0.25;
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe)
      VALUES ('BASE', $1, $2, $2, $2, $2, 1, 2, 1, '1m')
      ON CONFLICT (contract_id, timeframe_unit, timeframe_value, "timestamp") DO UPDATE SET high = GREATEST(ohlc_bars.high, EXCLUDED.high),
        low = LEAST(ohlc_bars.low, EXCLUDED.low), close = EXCLUDED.close, volume = ohlc_bars.volume + 1`,
      [minute, price],
    );
    await client.query('SELECT pg_notify($1, $2)', [
      'tick_data_channel',
      JSON.stringify({ type: 'ticks', contract_id: 'BASE', ticks: [{ timestamp: time.toISOString(), price, volume: 1, side: 'buy' }] }),
    ]);
    await client.query('COMMIT');
  }
  const seconds = (performance.now() - started) / 1000;
  await client.end();
  return ticks / seconds;
}

async function latency(url: string, rate: number, seconds: number): Promise<number[]> {
  const pool = createPool(url, { max: 4 });
  const listener = new pg.Client({ connectionString: url });
  await listener.connect();
  listener.on('error', () => undefined);
  const latencies: number[] = [];
  listener.on('notification', (n) => {
    const now = performance.timeOrigin + performance.now();
    for (const t of (JSON.parse(n.payload ?? '{}') as TickPayload).ticks ?? []) {
      const iso = t.timestamp; // microseconds carry the sub-millisecond part
      const micros = Number(/\.\d{3}(\d{3})Z$/.exec(iso)?.[1] ?? 0);
      latencies.push(now - (Date.parse(iso) + micros / 1000));
    }
  });
  await listener.query('LISTEN tick_data_channel');
  const { pipeline } = pipelineOn(pool, new MarketClock({ rate: 1 }));
  pipeline.start();
  const end = performance.now() + seconds * 1000;
  let price = 5000;
  const perTick = 1000 / rate;
  let next = performance.now();
  while (performance.now() < end) {
    next += perTick;
    while (performance.now() < next) await new Promise((r) => setImmediate(r));
    price += 0.25;
    const time = Math.round((performance.timeOrigin + performance.now()) * 1000) / 1000;
    pipeline.onTrades([{ contractId: 'BENCH.A', time, price, volume: 1, side: 'buy' }]);
  }
  await new Promise((r) => setTimeout(r, 300));
  await pipeline.stop();
  await listener.end();
  await pool.end();
  return latencies.sort((a, b) => a - b);
}

const db = await benchDatabase();
try {
  printMachine('bench:ingest', db.label);
  const ours = await throughput(db.url);
  const base = await baseline(db.url, Number(process.env.BENCH_BASELINE_TICKS ?? 5_000));
  figure(
    'barstream ticks/s (3 timeframes + ticks + NOTIFY)',
    ours.ticksPerSecond,
    'ticks/s',
    `${TOTAL.toLocaleString('en-US')} ticks, 4 contracts`,
  );
  figure('origin design ticks/s (txn + upsert + notify per tick)', base, 'ticks/s', 'baseline');
  figure('speed-up over baseline', ours.ticksPerSecond / base, '×', 'target ≥ 20×');
  figure('ticks delivered by NOTIFY', ours.notified, 'ticks', `of ${TOTAL.toLocaleString('en-US')}`);
  figure('peak RSS of the ingesting process', ours.maxRssMb, 'MB', 'VmHWM; target ≤ 200 MB; includes its load generator');
  const lat = await latency(db.url, 2_000, 10);
  figure('tick → NOTIFY received p50 @ 2,000 ticks/s', percentile(lat, 50), 'ms', `${lat.length.toLocaleString('en-US')} ticks`);
  figure('tick → NOTIFY received p99 @ 2,000 ticks/s', percentile(lat, 99), 'ms');
} catch (err) {
  console.error('bench failed:', err);
  process.exitCode = 1;
} finally {
  await db.stop();
}
