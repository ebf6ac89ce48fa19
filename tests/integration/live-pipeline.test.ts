// The walking skeleton end to end: simulated trades → ingester → ohlc_bars + NOTIFY → broadcaster → ws client.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestContracts } from '../../core/src/index.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import { BroadcasterService } from '../../broadcaster/src/broadcaster-service.ts';
import { IngesterService } from '../../ingester/src/ingester-service.ts';
import { SimulatedProvider } from '../../ingester/src/providers/simulated-provider.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { WsCollector } from '../support/ws-collector.ts';

let db: TestDatabase;
let broadcaster: BroadcasterService;

const settings = parseSettings({
  contracts: [
    { id: 'SIM.A', provider: 'simulated', symbol: 'A', tick_size: 0.25, session_calendar: 'utc', start_price: 100 },
    { id: 'SIM.B', provider: 'simulated', symbol: 'B', tick_size: 0.01, session_calendar: 'utc', start_price: 50 },
  ],
  ingester: { contracts: ['SIM.A', 'SIM.B'], timeframes: ['1s', '2s'], flush_interval_ms: 50, close_grace_ms: 100 },
});

beforeAll(async () => {
  db = await createTestDatabase();
  broadcaster = new BroadcasterService({ settings, databaseUrl: db.url, logger: quietLogger('broadcaster'), port: 0, metricsPort: 0 });
  await broadcaster.start();
});
afterAll(async () => {
  await broadcaster?.stop();
  await db?.drop();
});

interface BarRow {
  contract_id: string;
  t: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  timeframe_unit: number;
  timeframe_value: number;
  is_closed: boolean;
}

describe('live pipeline', () => {
  it('delivers to a WebSocket client exactly the bars stored in ohlc_bars', async () => {
    const all = await WsCollector.connect(`ws://127.0.0.1:${broadcaster.server.port}`);
    const onlyA = await WsCollector.connect(`ws://127.0.0.1:${broadcaster.server.port}`);
    onlyA.send({ type: 'subscribe', channel: 'bars', contract_id: 'SIM.A', timeframe: '2s' });
    await onlyA.waitFor((m) => m.type === 'subscribed');
    const contracts = ingestContracts(settings);
    const ingester = new IngesterService({
      settings,
      databaseUrl: db.url,
      contracts,
      logger: quietLogger('ingester'),
      metricsPort: 0,
      provider: new SimulatedProvider({ contracts, ticksPerSecond: 400, seed: 7, intervalMs: 20 }),
    });
    await ingester.start();
    await new Promise((r) => setTimeout(r, 3_500));
    await ingester.stop();
    await new Promise((r) => setTimeout(r, 300));
    all.close();
    onlyA.close();

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<BarRow>(`SELECT contract_id, (extract(epoch FROM "timestamp") * 1000)::float8 AS t,
      open, high, low, close, volume, timeframe_unit, timeframe_value, is_closed FROM ohlc_bars`);
    const ticks = await client.query<{ n: number; v: number }>('SELECT count(*)::int AS n, sum(volume)::float8 AS v FROM ticks');
    await client.end();

    const closed = rows.filter((r) => r.is_closed);
    expect(closed.length).toBeGreaterThan(4);
    expect(rows.some((r) => !r.is_closed)).toBe(true);
    // Last message per bar = the stored row, for every bar.
    const last = new Map<string, Record<string, unknown>>();
    for (const m of all.ofType('ohlc'))
      last.set(`${String(m.contract_id)}|${String(m.timeframe_unit)}|${String(m.timeframe_value)}|${Date.parse(m.timestamp as string)}`, m);
    expect(last.size).toBe(rows.length);
    for (const r of rows) {
      const m = last.get(`${r.contract_id}|${r.timeframe_unit}|${r.timeframe_value}|${r.t}`);
      expect(m, `message for ${r.contract_id} ${r.timeframe_value} ${new Date(r.t).toISOString()}`).toMatchObject({
        open: r.open,
        high: r.high,
        low: r.low,
        close: r.close,
        volume: r.volume,
        is_closed: r.is_closed,
      });
    }
    // Volume of 1s bars adds up to the stored ticks: no trade lost or counted twice.
    const oneSecondVolume = rows.filter((r) => r.timeframe_unit === 1 && r.timeframe_value === 1).reduce((s, r) => s + r.volume, 0);
    expect(oneSecondVolume).toBe(ticks.rows[0]?.v);
    expect(all.ofType('ticks').length).toBeGreaterThan(0);
    // The subscribed client got only its contract and timeframe.
    const filtered = onlyA.ofType('ohlc');
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.every((m) => m.contract_id === 'SIM.A' && m.timeframe_value === 2)).toBe(true);
    expect(onlyA.ofType('ticks')).toEqual([]);
  });
});
