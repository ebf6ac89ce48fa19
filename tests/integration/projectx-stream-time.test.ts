// A ProjectX-protocol server replaying recorded trades at high speed, stamped far from this machine's
// clock (the past, the future): the ingester takes "now" from the stream, so every trade is stored,
// bars close on stream time, the skew is a metric and its warning is rate-limited.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestContracts } from '../../core/src/index.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import { createPool, type Pool } from '../../core/src/node/db-pool.ts';
import { IngesterService } from '../../ingester/src/ingester-service.ts';
import { ProjectXProvider } from '../../ingester/src/providers/projectx/projectx-provider.ts';
import { FakeProjectXServer } from '../fakes/projectx-server.ts';
import { until } from '../fakes/recording-sink.ts';
import { eventually } from '../support/eventually.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const MINUTE = 60_000;
const MINUTES = 5;
/** Stream milliseconds between trades: 20 trades per stream second. */
const STEP_MS = 50;
/** Trades per hub message: each message covers 5 s of stream time, sent back to back (hundreds of × real time). */
const PER_MESSAGE = 100;
const SKEW_WARNING = 'stream time is far from the wall clock (bars close on stream time; trades are kept)';

let db: TestDatabase;
let pool: Pool;
let fake: FakeProjectXServer;
beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url);
  fake = await FakeProjectXServer.start({ username: 'alice', apiKey: 'secret-key', bars: [], hubPingIntervalMs: 200 });
});
afterAll(async () => {
  await fake?.close();
  await pool?.end();
  await db?.drop();
});

/** Aligned to 5 minutes, so the replayed minutes make exactly one 5m bar. */
const wallMinute = Math.floor(Date.now() / (5 * MINUTE)) * 5 * MINUTE;

describe('ProjectX stream far from the wall clock', () => {
  it.each([
    ['a year in the past', 'CON.F.US.EP.PAST', wallMinute - 365 * 86_400_000],
    ['three days in the future', 'CON.F.US.EP.FUTURE', wallMinute + 3 * 86_400_000],
  ])(
    'stores every trade of a fast replay stamped %s and closes its bars on stream time',
    async (_label, id, start) => {
      const settings = parseSettings({
        contracts: [{ id, provider: 'projectx', symbol: 'ES', tick_size: 0.25, session_calendar: 'utc' }],
        ingester: {
          provider: 'projectx',
          contracts: [id],
          timeframes: ['1m', '5m'],
          flush_interval_ms: 50,
          close_grace_ms: 0,
          backfill_lookback_hours: 1,
        },
      });
      const lines: string[] = [];
      const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
      const provider = new ProjectXProvider({
        apiUrl: fake.url,
        marketHubUrl: fake.hubUrl,
        username: 'alice',
        apiKey: 'secret-key',
        contractIds: [id],
        live: false,
        tokenRefreshMs: 3_600_000,
        logger,
        backoff: { initialMs: 20, maxMs: 200 },
      });
      // One skew warning per hour at most: the replay below sends 60 messages, all far from the wall clock.
      const service = new IngesterService({
        settings,
        databaseUrl: db.url,
        contracts: ingestContracts(settings),
        provider,
        logger,
        metricsPort: 0,
        warnIntervalMs: 3_600_000,
      });
      await service.start();
      try {
        await until(() => fake.hub.subscribers('SubscribeContractTrades', id) === 1, 'subscription', 15_000);
        const count = (MINUTES * MINUTE) / STEP_MS;
        const trades = Array.from({ length: count }, (_, i) => ({
          symbolId: 'F.US.EP',
          price: 5600 + (i % 40) * 0.25,
          timestamp: new Date(start + i * STEP_MS).toISOString(),
          type: i % 2,
          volume: 1 + (i % 3),
        }));
        expect(await fake.hub.replayTrades(id, trades, PER_MESSAGE)).toBe(count / PER_MESSAGE);
        const volume = trades.reduce((s, t) => s + t.volume, 0);
        await eventually(async () => {
          const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ticks WHERE contract_id = $1', [id]);
          return rows[0]?.n === count;
        }, 30_000);
        // The last minute closes too: a quiet stream's time runs on with the wall clock from its newest trade.
        await eventually(async () => {
          const { rows } = await pool.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM ohlc_bars WHERE contract_id = $1 AND is_closed',
            [id],
          );
          return rows[0]?.n === MINUTES + 1;
        }, 30_000);
        const { rows } = await pool.query<{ timeframe: string; t: Date; volume: number }>(
          `SELECT timeframe, "timestamp" AS t, volume FROM ohlc_bars WHERE contract_id = $1 ORDER BY timeframe, "timestamp"`,
          [id],
        );
        expect(rows.map((r) => [r.timeframe, r.t.getTime(), r.volume])).toEqual([
          ...Array.from({ length: MINUTES }, (_, m) => [
            '1m',
            start + m * MINUTE,
            trades.slice(m * (MINUTE / STEP_MS), (m + 1) * (MINUTE / STEP_MS)).reduce((s, t) => s + t.volume, 0),
          ]),
          ['5m', start, volume],
        ]);
        const metrics = await (await fetch(`http://127.0.0.1:${service.metricsPort}/metrics`)).text();
        const skew = Number(/^ingester_stream_skew_seconds(?:\{[^}]*\})? (\S+)$/m.exec(metrics)?.[1]);
        expect(Math.abs(skew - (start + (count - 1) * STEP_MS - Date.now()) / 1000)).toBeLessThan(86_400);
        expect(Math.sign(skew)).toBe(Math.sign(start - Date.now()));
        expect(metrics).not.toMatch(/^ingester_ticks_rejected_total\{/m);
        expect(metrics).toMatch(/^ingester_late_trades_total(?:\{[^}]*\})? 0$/m);
        const warnings = lines.map((l) => JSON.parse(l) as { msg: string }).filter((l) => l.msg === SKEW_WARNING);
        expect(warnings).toHaveLength(1);
      } finally {
        await service.stop();
      }
    },
    90_000,
  );
});
