// PostgreSQL restarted under a running broadcaster: LISTEN comes back by itself and the clients
// that may have missed bars or ticks get a `resync` with the range to refetch. Needs a server of
// its own to restart: an embedded PostgreSQL on a free port, stopped and started on the same data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BroadcasterService } from '../../broadcaster/src/broadcaster-service.ts';
import { applyMigrations } from '../../prisma/index.ts';
import { type EmbeddedDatabase, startEmbeddedDatabase } from '../../scripts/lib/embedded-database.ts';
import { freePort } from '../e2e/full-stack.ts';
import {
  barPayload,
  eventually,
  Notifier,
  settled,
  startBroadcaster,
  subscribe,
  ticksPayload,
  wsUrl,
} from '../support/broadcaster-fixture.ts';
import { WsCollector } from '../support/ws-collector.ts';

const RESYNC_MARGIN_MS = 60_000;

let dir: string;
let port: number;
let db: EmbeddedDatabase;
let service: BroadcasterService;
const open: WsCollector[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'barstream-resync-'));
  port = await freePort();
  db = await startEmbeddedDatabase({ dataDir: join(dir, 'pg'), port, database: 'resync' });
  await applyMigrations(db.url);
  service = await startBroadcaster(db.url);
});
afterAll(async () => {
  for (const c of open) c.close();
  await service?.stop();
  await db?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function client(...subscriptions: Array<{ channel: string; contract_id: string; timeframe?: string }>): Promise<WsCollector> {
  const c = await WsCollector.connect(wsUrl(service));
  open.push(c);
  for (const s of subscriptions) await subscribe(c, s);
  return c;
}

async function notify(payloads: { bars?: object[]; ticks?: object[] }): Promise<void> {
  const notifier = await Notifier.connect(db.url);
  if (payloads.bars) await notifier.notify('ohlcUpdate', payloads.bars);
  if (payloads.ticks) await notifier.notify('tickData', payloads.ticks);
  await notifier.end();
}

async function postmasterStartedAt(): Promise<number> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  const { rows } = await c.query<{ t: Date }>('SELECT pg_postmaster_start_time() AS t');
  await c.end();
  return rows[0]?.t.getTime() ?? 0;
}

describe('broadcaster across a PostgreSQL restart', () => {
  it('re-establishes LISTEN and sends resync to bar, tick and unsubscribed clients only', async () => {
    const everything = await client();
    const bars = await client({ channel: 'bars', contract_id: 'R', timeframe: '1m' });
    const ticks = await client({ channel: 'ticks', contract_id: 'R' });
    const signalsOnly = await client({ channel: 'signals', contract_id: 'R' });
    const aliveBefore = Date.now(); // the NOTIFY below is read after this: the connection worked then
    await notify({ bars: [barPayload('R', 2, 1, 1)] });
    await bars.waitFor((m) => m.type === 'ohlc' && m.volume === 1);

    const lostAt = Date.now();
    await db.stop();
    await eventually(
      () => service.health().listening,
      (listening) => listening === false,
    );
    const restartedAt = Date.now();
    db = await startEmbeddedDatabase({ dataDir: join(dir, 'pg'), port, database: 'resync' });
    expect(await postmasterStartedAt()).toBeGreaterThan(lostAt); // a real restart, not a blip

    const resync = await everything.waitFor((m) => m.type === 'resync', 30_000);
    expect(Object.keys(resync).sort()).toEqual(['from', 'reason', 'to', 'type']);
    // From the last moment the connection was known to work (with the margin for bars forming when
    // the outage began) to after it. Bounded by order, not by a time margin: that moment is after the
    // last NOTIFY was sent and before the loss was noticed, however slow a loaded machine is.
    const from = Date.parse(resync.from as string);
    expect(from).toBeGreaterThanOrEqual(aliveBefore - RESYNC_MARGIN_MS);
    expect(from).toBeLessThanOrEqual(restartedAt - RESYNC_MARGIN_MS);
    expect(Date.parse(resync.to as string)).toBeGreaterThan(restartedAt);
    expect(service.health().listening).toBe(true);

    await bars.waitFor((m) => m.type === 'resync');
    await ticks.waitFor((m) => m.type === 'resync');
    await settled(signalsOnly);
    expect(signalsOnly.ofType('resync')).toEqual([]);

    // LISTEN is active again: new NOTIFYs flow to the same, still-connected clients.
    await notify({ bars: [barPayload('R', 2, 1, 2)], ticks: [ticksPayload('R', 3)] });
    await bars.waitFor((m) => m.type === 'ohlc' && m.volume === 2);
    await ticks.waitFor((m) => m.type === 'ticks');
    await everything.waitFor((m) => m.type === 'ticks');
    const metrics = await (await fetch(`http://127.0.0.1:${service.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^broadcaster_listen_reconnects_total\{[^}]*\} 1$/m);
    expect(metrics).toMatch(/^broadcaster_resyncs_sent_total\{[^}]*\} 3$/m);
  });

  it('stopped during an outage, it leaves no LISTEN connection behind when PostgreSQL returns', async () => {
    const stopping = await startBroadcaster(db.url);
    await db.stop();
    await eventually(
      () => stopping.health().listening,
      (listening) => listening === false,
    );
    await stopping.stop();
    db = await startEmbeddedDatabase({ dataDir: join(dir, 'pg'), port, database: 'resync' });
    await eventually(
      () => service.health().listening,
      (listening) => listening === true,
      30_000,
    );
    // That nothing of the stopped listener can reconnect later (pg-listen's own loop did) is shown
    // without waiting in notification-listener-faults.test.ts: after stop() it holds no timer or socket.
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const { rows } = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'barstream-listener'`,
    );
    await c.end();
    // Only the first test's broadcaster, still running, listens.
    expect(rows[0]?.n).toBe(1);
  });
});
