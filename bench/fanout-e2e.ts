// Part of bench:fanout: end to end at a steady tick rate. Trades (time = wall clock µs at
// injection) go into the ingester's IngestPipeline in this process; the pipeline stores and NOTIFYs;
// the broadcaster (its own process) relays; a ws client here measures arrival − trade time.
import { BarAggregator, parseTimeframe, SessionCalendar, type Trade, UTC_CALENDAR } from '../core/src/index.ts';
import { createMetricsRegistry, createPool } from '../core/src/node.ts';
import { createIngestMetrics } from '../ingester/src/ingest-metrics.ts';
import { IngestPipeline } from '../ingester/src/ingest-pipeline.ts';
import { MarketClock } from '../ingester/src/market-clock.ts';
import { freePort } from '../tests/e2e/full-stack.ts';
import { quietLogger } from '../tests/support/quiet-logger.ts';
import { WebSocket } from 'ws';
import { startBroadcaster } from './fanout-harness.ts';
import { percentile } from './lib/report.ts';

const CONTRACT = 'BENCH.E2E';
const WARMUP_SECONDS = 1;

function wallMs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000) / 1000;
}

/** Epoch ms with the microseconds the ISO text carries (Date.parse stops at milliseconds). */
function tickTime(iso: string): number {
  const micros = Number(/\.\d{3}(\d{3})Z$/.exec(iso)?.[1] ?? 0);
  return Date.parse(iso) + micros / 1000;
}

export async function endToEnd(url: string, rate: number, seconds: number): Promise<{ ticks: number; p50: number; p99: number }> {
  const wsPort = await freePort();
  const server = await startBroadcaster('barstream', url, wsPort, await freePort());
  const pool = createPool(url, { max: 4 });
  const socket = new WebSocket(`ws://127.0.0.1:${wsPort}`);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const latencies: number[] = [];
  let measureFrom = Infinity;
  const subscribed = new Promise<void>((resolve) => {
    socket.on('message', (data: Buffer) => {
      const now = performance.timeOrigin + performance.now();
      const m = JSON.parse(data.toString('utf8')) as { type: string; ticks?: Array<{ timestamp: string }> };
      if (m.type === 'subscribed') resolve();
      if (m.type !== 'ticks') return;
      for (const t of m.ticks ?? []) {
        const time = tickTime(t.timestamp);
        if (time >= measureFrom) latencies.push(now - time);
      }
    });
  });
  socket.send(JSON.stringify({ type: 'subscribe', channel: 'ticks', contract_id: CONTRACT }));
  await subscribed;

  const calendar = new SessionCalendar(UTC_CALENDAR);
  const aggregator = new BarAggregator({
    timeframes: ['1m', '5m', '1h'].map((t) => parseTimeframe(t)),
    calendarFor: () => calendar,
    graceMs: 1_000,
  });
  const pipeline = new IngestPipeline({
    pool,
    aggregator,
    clock: new MarketClock({ rate: 1 }),
    logger: quietLogger('bench'),
    metrics: createIngestMetrics(createMetricsRegistry('bench')),
    contracts: new Set([CONTRACT]),
    flushIntervalMs: 250,
    maxClockSkewMs: 300_000,
  });
  pipeline.start();
  // Paced by a timer, not a spin loop: a spinning load generator would take a core from the system
  // under test. Trades due since the last wake-up go in together, as a feed delivers them.
  const started = performance.now();
  const total = rate * (WARMUP_SECONDS + seconds);
  let injected = 0;
  let price = 5000;
  measureFrom = wallMs() + WARMUP_SECONDS * 1000;
  while (injected < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
    if (due > injected) {
      const trades: Trade[] = [];
      for (; injected < due; injected++) {
        price += injected % 3 === 0 ? 0.25 : -0.25;
        trades.push({ contractId: CONTRACT, time: wallMs(), price, volume: 1, side: injected % 2 ? 'sell' : 'buy' });
      }
      pipeline.onTrades(trades);
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await new Promise((r) => setTimeout(r, 500));
  await pipeline.stop();
  socket.close();
  await server.stop();
  await pool.end();
  latencies.sort((a, b) => a - b);
  return { ticks: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}
