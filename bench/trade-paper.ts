// npm run bench:trade (third part) — a paper run's latency in the trader service: at 50 signals/s, each
// step commits a closed 5m bar, the signal its close triggered and the analyzer's watermark with a
// signal_detected NOTIFY (what the analyzer does), and the time is taken from that commit until the
// trader's trade_update for that bar arrives — the fill row of the previous signal's market order (`bar`
// fill model: at this bar's open, so this commit is the one that makes the fill possible) committed.
// The clock starts when the bench's COMMIT returns (the signal is committed). PostgreSQL signals the
// listeners before it answers the COMMIT, so on a loaded machine the trader's whole step can finish first:
// such a trade_update is timed from when the COMMIT was sent (an upper bound) and counted.
// Then where the time went inside the trader: each step's read statement, engine, write statement.
// Target: p99 ≤ 50 ms. BENCH_SIGNALS overrides 1,000.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { channels } from '../core/src/channels.ts';
import { createLogger } from '../core/src/node/logger.ts';
import { parseSettings } from '../core/src/node/load-config.ts';
import { TraderService } from '../trader/src/trader-service.ts';
import { syntheticBars } from '../tests/support/synthetic-bars.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { figure, percentile, printLoad, printMachine } from './lib/report.ts';

const N = Number(process.env.BENCH_SIGNALS ?? 1_000);
const RATE = 50;
const STEP = 300_000;
const START = Date.parse('2024-01-02T15:00:00Z');
const CONTRACT = 'BENCH.PAPER';

const db = await benchDatabase();
printMachine(`trader paper latency: bar + signal committed → fill committed, ${RATE} signals/s`, db.label);
printLoad('before');
const dir = mkdtempSync(join(tmpdir(), 'bs-bench-paper-'));
writeFileSync(
  join(dir, 'bench-paper.yaml'),
  `id: bench-paper
mode: paper
contract: ${CONTRACT}
timeframe: 5m
instrument: { kind: future, tick_size: 0.25, tick_value: 1.25 }
signals: { analyzer_id: bench, map: { buy: entry_long, sell: entry_short } }
sizing: { type: fixed, qty: 1 }
exits: { on_opposite_signal: reverse }
starting_capital: 100000
`,
);
const settings = parseSettings({
  contracts: [{ id: CONTRACT, provider: 'simulated', symbol: 'BP', tick_size: 0.25, session_calendar: 'utc' }],
  ingester: { contracts: [CONTRACT] },
  trader: { strategies_dir: dir, scan_interval_ms: 60_000 },
});
const steps: { read: number[]; engine: number[]; write: number[] } = { read: [], engine: [], write: [] };
const trader = new TraderService({
  settings,
  rootDir: dir,
  databaseUrl: db.url,
  logger: createLogger('trader', 'warn'),
  metricsPort: 0,
  onPaperStep: (_run, t) => {
    steps.read.push(t.readMs);
    steps.engine.push(t.engineMs);
    steps.write.push(t.writeMs);
  },
});
await trader.start();

const client = new pg.Client({ connectionString: db.url });
await client.connect();
const listener = new pg.Client({ connectionString: db.url });
await listener.connect();
/** Bar key → when its commit returned, or minus when it was sent while the COMMIT is in flight. */
const sent = new Map<string, number>();
const latencies: number[] = [];
let early = 0;
listener.on('notification', (n) => {
  const m = JSON.parse(n.payload ?? '{}') as { through?: string; fills?: number };
  if (!m.through || (m.fills ?? 0) === 0) return;
  // A step may take several bars at once (it coalesces wake-ups): every bar up to `through` is done now.
  const now = performance.now();
  for (const [key, t0] of sent) {
    if (key > m.through) continue;
    if (t0 < 0) early++;
    latencies.push(now - Math.abs(t0));
    sent.delete(key);
  }
});
await listener.query(`LISTEN ${channels.tradeUpdate.name}`);

const bars = syntheticBars(N + 1, { start: START, stepMs: STEP, seed: 3 });
for (let i = 0; i <= N; i++) {
  const bar = bars[i]!;
  const due = performance.now() + 1000 / RATE;
  const type = i % 2 === 0 ? 'buy' : 'sell';
  const key = new Date(bar.time + STEP - 1).toISOString();
  await client.query('BEGIN');
  await client.query(
    `INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed)
     VALUES ($1, to_timestamp($2 / 1000.0), $3, $4, $5, $6, $7, 2, 5, '5m', true)`,
    [CONTRACT, bar.time, bar.open, bar.high, bar.low, bar.close, bar.volume],
  );
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO detected_signals (analyzer_id, "timestamp", contract_id, timeframe, signal_type, signal_price, details)
     VALUES ('bench', to_timestamp($1 / 1000.0), $2, '5m', $3, $4, '{}') RETURNING signal_id AS id`,
    [bar.time, CONTRACT, type, bar.close],
  );
  await client.query(
    `INSERT INTO analyzer_watermarks (analyzer_id, contract_id, timeframe, last_processed_timestamp) VALUES ('bench', $1, '5m', to_timestamp($2 / 1000.0))
     ON CONFLICT (analyzer_id, contract_id, timeframe) DO UPDATE SET last_processed_timestamp = EXCLUDED.last_processed_timestamp`,
    [CONTRACT, bar.time],
  );
  const iso = new Date(bar.time).toISOString();
  await client.query('SELECT pg_notify($1, $2)', [
    channels.signalDetected.name,
    JSON.stringify({
      type: 'signal',
      signal_id: rows[0]?.id ?? 0,
      analyzer_id: 'bench',
      contract_id: CONTRACT,
      timeframe: '5m',
      timestamp: iso,
      trigger_timestamp: iso,
      signal_type: type,
      signal_price: bar.close,
      details: {},
    }),
  ]);
  if (i > 0) sent.set(key, -performance.now()); // bar 0 has no order to fill
  await client.query('COMMIT');
  if (sent.has(key)) sent.set(key, performance.now());
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
await new Promise((r) => setTimeout(r, 2_000));
const sorted = [...latencies].sort((a, b) => a - b);
figure(
  `signal committed → fill committed (${sorted.length} of ${N} fills seen)`,
  percentile(sorted, 99).toFixed(1),
  'ms p99',
  `target ≤ 50 ms; p50 ${percentile(sorted, 50).toFixed(1)} ms, p90 ${percentile(sorted, 90).toFixed(1)} ms, max ${(sorted[sorted.length - 1] ?? NaN).toFixed(1)} ms${early > 0 ? `; ${early} stored before the COMMIT returned, timed from its sending` : ''}`,
);
// Where the time went inside the trader (its steps coalesce wake-ups: fewer steps than signals under load).
for (const [phase, values] of Object.entries(steps)) {
  const v = [...values].sort((a, b) => a - b);
  figure(
    `  trader step: ${phase} (${v.length} steps)`,
    percentile(v, 50).toFixed(2),
    'ms p50',
    `p90 ${percentile(v, 90).toFixed(2)} ms, p99 ${percentile(v, 99).toFixed(2)} ms`,
  );
}
printLoad('after');
await listener.end();
await client.end();
await trader.stop();
await db.stop();
process.exit(0);
