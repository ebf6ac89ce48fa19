// Child process of bench:ingest: the ingest pipeline fed by an in-process load generator as fast
// as it keeps up. Prints one JSON line: ticks/s and peak RSS (VmHWM).
import { readFileSync } from 'node:fs';
import { BarAggregator, parseTimeframe, SessionCalendar, type Trade, UTC_CALENDAR } from '../core/src/index.ts';
import { createMetricsRegistry, createPool } from '../core/src/node.ts';
import { createIngestMetrics } from '../ingester/src/ingest-metrics.ts';
import { IngestPipeline } from '../ingester/src/ingest-pipeline.ts';
import { MarketClock } from '../ingester/src/market-clock.ts';
import { quietLogger } from '../tests/support/quiet-logger.ts';

const TOTAL = Number(process.env.BENCH_TICKS);
const CONTRACTS = ['BENCH.A', 'BENCH.B', 'BENCH.C', 'BENCH.D'];
const calendar = new SessionCalendar(UTC_CALENDAR);
const pool = createPool(process.env.BENCH_URL as string, { max: 4 });
const metrics = createIngestMetrics(createMetricsRegistry('bench'));
const aggregator = new BarAggregator({
  timeframes: ['1m', '5m', '1h'].map((t) => parseTimeframe(t)),
  calendarFor: () => calendar,
  graceMs: 1_000,
});
const pipeline = new IngestPipeline({
  pool,
  aggregator,
  clock: new MarketClock({ rate: 0 }),
  logger: quietLogger('bench'),
  metrics,
  contracts: new Set(CONTRACTS),
  flushIntervalMs: 250,
  maxClockSkewMs: 300_000,
});
pipeline.start();
const t0 = Date.parse('2026-01-05T00:00:00Z');
const started = performance.now();
for (let sent = 0; sent < TOTAL;) {
  // Backpressure, as a provider socket would apply it: wait while ~30k ticks are unwritten.
  while (pipeline.bufferedTicks > 30_000) await new Promise((r) => setImmediate(r));
  const batch: Trade[] = [];
  for (let k = 0; k < 2_000 && sent < TOTAL; k++, sent++) {
    batch.push({
      contractId: CONTRACTS[sent % 4] as string,
      time: t0 + sent * 0.01,
      price: 5000 + ((sent * 7919) % 40) * 0.25,
      volume: 1 + (sent % 5),
      side: 'buy',
    });
  }
  pipeline.onTrades(batch);
  await new Promise((r) => setImmediate(r));
}
while ((await metrics.ticksWritten.get()).values[0]?.value !== TOTAL) await new Promise((r) => setTimeout(r, 5));
const seconds = (performance.now() - started) / 1000;
await pipeline.stop();
await pool.end();
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
console.log(JSON.stringify({ ticksPerSecond: TOTAL / seconds, peakRssMb: Number(hwm ?? 0) / 1024 }));
