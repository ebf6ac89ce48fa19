// An ohlc_update NOTIFY written by hand in the replaced system's own shape (no is_closed) — what a
// user's SQL, trigger or an older ingester sends. Plain SQL is a supported interface: the
// broadcaster relays it (as a forming bar, is_closed spelled out) and the analyzer carries on.
import { Writable } from 'node:stream';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyzerService } from '../../analyzer/src/analyzer-service.ts';
import type { BroadcasterService } from '../../broadcaster/src/broadcaster-service.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import { createPool, type Pool } from '../../core/src/node/db-pool.ts';
import { writeFlush } from '../../ingester/src/bar-store.ts';
import { settled, startBroadcaster, subscribe, wsUrl } from '../support/broadcaster-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { WsCollector } from '../support/ws-collector.ts';

const CONTRACT = 'ORIGIN.SQL';
/** Written out by hand, as a user would: the origin's fields, no is_closed. */
const ORIGIN_BAR =
  `{"type": "ohlc", "contract_id": "${CONTRACT}", "timestamp": "2026-03-02T14:05:00+00:00", "open": 5001.25, "high": 5003.5, ` +
  `"low": 5000.75, "close": 5002, "volume": 17, "timeframe_unit": 2, "timeframe_value": 1}`;

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

async function sql(text: string, params: unknown[] = []): Promise<void> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    await c.query(text, params);
  } finally {
    await c.end();
  }
}

describe('a hand-written ohlc_update without is_closed', () => {
  let service: BroadcasterService;
  const open: WsCollector[] = [];
  afterAll(async () => {
    for (const c of open) c.close();
    await service?.stop();
  });

  it('is relayed by the broadcaster to a subscribed client as a forming bar', async () => {
    service = await startBroadcaster(db.url);
    const bars = await WsCollector.connect(wsUrl(service));
    const everything = await WsCollector.connect(wsUrl(service));
    open.push(bars, everything);
    await subscribe(bars, { channel: 'bars', contract_id: CONTRACT, timeframe: '1m' });

    await sql(`SELECT pg_notify('ohlc_update', '${ORIGIN_BAR}')`);

    const got = await bars.waitFor((m) => m.type === 'ohlc');
    expect(got).toEqual({ ...(JSON.parse(ORIGIN_BAR) as object), is_closed: false });
    await everything.waitFor((m) => m.type === 'ohlc');
    await settled(bars);
    expect(bars.ofType('ohlc')).toHaveLength(1);
    const metrics = await (await fetch(`http://127.0.0.1:${service.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^broadcaster_messages_in_total\{[^}]*channel="bars"[^}]*\} 1$/m);
    expect(metrics).not.toMatch(/^broadcaster_invalid_notifications_total\{[^}]*\} [1-9]/m);
  });
});

describe('the analyzer, sent the same NOTIFY', () => {
  let pool: Pool;
  let analyzer: AnalyzerService;
  afterAll(async () => {
    await analyzer?.stop();
    await pool?.end();
  });

  it('reads it as forming (no warning) and goes on processing closed bars', async () => {
    const logged: Array<{ msg: string; level: number }> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) logged.push(JSON.parse(line) as { msg: string; level: number });
        done();
      },
    });
    const settings = parseSettings({
      contracts: [{ id: CONTRACT, provider: 'simulated', symbol: CONTRACT, tick_size: 0.25, session_calendar: 'utc' }],
      ingester: { contracts: [CONTRACT] },
      analyzer: {
        metrics_port: 0,
        targets: [{ analyzer_id: 'ema_cross_rsi', strategy: 'ema_cross_rsi', contract_id: CONTRACT, timeframes: ['1m'] }],
      },
    });
    pool = createPool(db.url);
    analyzer = new AnalyzerService({ settings, databaseUrl: db.url, logger: pino({ level: 'warn' }, sink), metricsPort: 0 });
    await analyzer.start();

    await sql(`SELECT pg_notify('ohlc_update', '${ORIGIN_BAR}')`);
    // A closed bar after it, stored and announced the normal way: NOTIFYs arrive in commit order,
    // so once the analyzer has processed this one it has read the hand-written one before it.
    const closedAt = Date.parse('2026-03-02T14:06:00Z');
    await writeFlush(
      pool,
      [
        {
          contractId: CONTRACT,
          unit: 2,
          value: 1,
          time: closedAt,
          open: 5002,
          high: 5004,
          low: 5001,
          close: 5003,
          volume: 9,
          isClosed: true,
        },
      ],
      [],
    );
    await eventually(async () => {
      const { rows } = await pool.query(
        `SELECT 1 FROM analyzer_watermarks WHERE analyzer_id = 'ema_cross_rsi' AND last_processed_timestamp >= $1`,
        [new Date(closedAt)],
      );
      return rows.length > 0;
    });
    expect(logged.filter((l) => l.level >= 40)).toEqual([]);
    expect(analyzer.health().ok).toBe(true);
  });
});
