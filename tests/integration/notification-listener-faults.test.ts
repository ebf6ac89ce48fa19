// NotificationListener against pg-listen's known faults, on a PostgreSQL of its own (stopped,
// restarted, and one backend paused with SIGSTOP): a listener stopped during an outage leaves
// nothing that could reconnect; a stalled connection is found by a check with a timeout and replaced;
// a backend paused for less than the dead threshold keeps its connection.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyAll } from '../../core/src/node/notify.ts';
import { DEAD_AFTER_CHECKS, NotificationListener } from '../../core/src/node/notification-listener.ts';
import { type EmbeddedDatabase, startEmbeddedDatabase } from '../../scripts/lib/embedded-database.ts';
import { barPayload, eventually } from '../support/broadcaster-fixture.ts';
import { freePort } from '../support/free-port.ts';
import { quietLogger } from '../support/quiet-logger.ts';

let dir: string;
let port: number;
let db: EmbeddedDatabase;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'barstream-listener-'));
  port = await freePort();
  db = await startEmbeddedDatabase({ dataDir: join(dir, 'pg'), port, database: 'listener' });
});
afterAll(async () => {
  await db?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** Backend pids of LISTEN connections opened by NotificationListener. */
async function listenerPids(): Promise<number[]> {
  const rows = await query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = 'barstream-listener' ORDER BY pid`);
  return rows.map((r) => r.pid);
}

async function notifyBar(seq: number): Promise<void> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  await notifyAll(c, 'ohlcUpdate', [JSON.stringify(barPayload('L', 2, 1, seq))]);
  await c.end();
}

function counting(listener: NotificationListener): { volumes: number[] } {
  const seen = { volumes: [] as number[] };
  listener.on('ohlcUpdate', (m) => seen.volumes.push(m.volume));
  return seen;
}

/** Bytes received on our TCP socket with this local port that the process has not read yet. */
function unreadBytes(localPort: number): number {
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5 || Number.parseInt(f[1]?.split(':')[1] ?? '', 16) !== localPort) continue;
    return Number.parseInt(f[4]?.split(':')[1] ?? '0', 16);
  }
  return 0;
}

/** Timers and sockets this process holds, by kind (what a loop that outlived stop() would hold). */
function handles(): { timers: number; sockets: number } {
  const info = process.getActiveResourcesInfo();
  return { timers: info.filter((r) => r === 'Timeout').length, sockets: info.filter((r) => r === 'TCPSocketWrap').length };
}

describe('NotificationListener faults', () => {
  it('stopped during an outage: nothing is left that could reconnect, and no LISTEN connection appears when PostgreSQL returns', async () => {
    const before = handles();
    const events: string[] = [];
    const listener = new NotificationListener({
      connectionString: db.url,
      logger: quietLogger('listener'),
      channels: ['ohlcUpdate'],
      paranoidCheckMs: 200,
      onDisconnected: () => events.push('disconnected'),
      onReconnected: () => events.push('reconnected'),
    });
    await listener.start();
    expect(await listenerPids()).toHaveLength(1);

    await db.stop();
    await eventually(
      () => listener.connected,
      (c) => c === false,
    );
    // Let it fail at least one reconnect attempt, so stop() lands in the retry loop.
    await eventually(
      () => events.length,
      (n) => n >= 1,
    );
    await listener.stop();
    const after = handles();
    db = await startEmbeddedDatabase({ dataDir: join(dir, 'pg'), port, database: 'listener' });

    // pg-listen's own loop would still hold a retry timer here, and reconnect once PostgreSQL is
    // back: after stop() the listener holds no timer and no socket at all.
    expect(after.timers).toBeLessThanOrEqual(before.timers);
    expect(after.sockets).toBeLessThanOrEqual(before.sockets);
    expect(await listenerPids()).toEqual([]);
    expect(events).toEqual(['disconnected']);
  });

  it(`a stalled connection (backend paused with SIGSTOP) is found by the check's timeout and replaced`, async () => {
    const downs: number[] = [];
    let reconnects = 0;
    const listener = new NotificationListener({
      connectionString: db.url,
      logger: quietLogger('listener'),
      channels: ['ohlcUpdate'],
      paranoidCheckMs: 200,
      onReconnected: () => {
        reconnects++;
      },
      onDisconnected: () => downs.push(Date.now()),
    });
    const seen = counting(listener);
    await listener.start();
    const [stalled] = await listenerPids();
    if (stalled === undefined) throw new Error('no LISTEN connection');
    process.kill(stalled, 'SIGSTOP');
    try {
      // The socket stays open and silent: only the check can notice.
      await eventually(
        () => reconnects,
        (n) => n === 1,
        30_000,
      );
      const pids = await listenerPids();
      expect(pids).not.toContain(undefined);
      expect(pids.filter((p) => p !== stalled)).toHaveLength(1);
    } finally {
      process.kill(stalled, 'SIGCONT');
    }
    expect(downs).toHaveLength(1);
    await notifyBar(7);
    await eventually(
      () => seen.volumes,
      (v) => v.includes(7),
    );
    await listener.stop();
    // The paused backend, resumed, finds its client gone and exits.
    await eventually(listenerPids, (pids) => pids.length === 0);
  });

  it('a backend paused for less than the dead threshold keeps its connection: a busy server is not a dead one', async () => {
    const events: string[] = [];
    const listener = new NotificationListener({
      connectionString: db.url,
      logger: quietLogger('listener'),
      channels: ['ohlcUpdate'],
      paranoidCheckMs: 500,
      onDisconnected: () => events.push('disconnected'),
      onReconnected: () => events.push('reconnected'),
    });
    const seen = counting(listener);
    await listener.start();
    const [busy] = await listenerPids();
    if (busy === undefined) throw new Error('no LISTEN connection');
    process.kill(busy, 'SIGSTOP');
    try {
      // Resumed as soon as one check has gone unanswered: DEAD_AFTER_CHECKS - 1 samples remain.
      await eventually(
        () => listener.unansweredChecks > 0 || events.length > 0,
        (done) => done,
        30_000,
      );
    } finally {
      process.kill(busy, 'SIGCONT');
    }
    expect(listener.unansweredChecks).toBeLessThan(DEAD_AFTER_CHECKS);
    await eventually(
      () => listener.unansweredChecks,
      (n) => n === 0,
      30_000,
    );
    await notifyBar(8);
    await eventually(
      () => seen.volumes,
      (v) => v.includes(8),
    );
    expect(events).toEqual([]);
    expect(listener.connected).toBe(true);
    expect(await listenerPids()).toEqual([busy]);
    await listener.stop();
  });

  it('a blocked event loop with the answer unread in the socket is not a dead connection', async () => {
    const checkMs = 300;
    const events: string[] = [];
    const listener = new NotificationListener({
      connectionString: db.url,
      logger: quietLogger('listener'),
      channels: ['ohlcUpdate'],
      paranoidCheckMs: checkMs,
      onDisconnected: () => events.push('disconnected'),
      onReconnected: () => events.push('reconnected'),
    });
    const seen = counting(listener);
    await listener.start();
    const [row] = await query<{ pid: number; port: number }>(
      `SELECT pid, client_port AS port FROM pg_stat_activity WHERE application_name = 'barstream-listener'`,
    );
    if (!row) throw new Error('no LISTEN connection');
    // One sample short of the threshold: the check is owed and the next silent sample would be fatal.
    process.kill(row.pid, 'SIGSTOP');
    try {
      await eventually(
        () => listener.unansweredChecks >= DEAD_AFTER_CHECKS - 1 || events.length > 0,
        (done) => done,
        30_000,
      );
    } finally {
      process.kill(row.pid, 'SIGCONT');
    }
    expect(events).toEqual([]);
    // The process now starves (no timer or I/O runs) until the answer waits unread in the kernel,
    // and for many check intervals more: when it wakes, the timer is due before the socket is read.
    const giveUpAt = Date.now() + 30_000;
    while (unreadBytes(row.port) === 0) if (Date.now() > giveUpAt) throw new Error('the answer never arrived');
    const blockedUntil = Date.now() + 5 * checkMs;
    while (Date.now() < blockedUntil) {
      /* starve the event loop */
    }

    await eventually(
      () => listener.unansweredChecks,
      (n) => n === 0,
      30_000,
    );
    await notifyBar(9);
    await eventually(
      () => seen.volumes,
      (v) => v.includes(9),
    );
    expect(events).toEqual([]);
    expect(await listenerPids()).toEqual([row.pid]);
    await listener.stop();
  });
});
