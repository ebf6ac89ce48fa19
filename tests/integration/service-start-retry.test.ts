// Standalone services (their main.ts, as `npm run start -w …` runs it) started before what they need
// is there — the broadcaster before its database exists, the ingester while the provider's login
// fails — retry with backoff, one log line per attempt naming the cause, and start once it is back.
// A configuration error is not retried.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { embeddedDatabaseUrl } from '../../core/src/node.ts';
import { type EmbeddedDatabase, startEmbeddedDatabase } from '../../scripts/lib/embedded-database.ts';
import { FakeProjectXServer } from '../fakes/projectx-server.ts';
import { barPayload, eventually, Notifier } from '../support/broadcaster-fixture.ts';
import { freePort } from '../support/free-port.ts';
import { createTestDatabase } from '../support/test-database.ts';
import { WsCollector } from '../support/ws-collector.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'barstream-start-retry-'));
let db: EmbeddedDatabase | undefined;
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
afterAll(async () => {
  await db?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Started {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly exited: Promise<number | null>;
}

function startBroadcaster(env: Record<string, string>): Started {
  return startService('broadcaster', env);
}

function startService(name: 'broadcaster' | 'ingester', env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, name, 'src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: string[] = [];
  const keep = (d: Buffer): void => {
    for (const l of d.toString().split('\n')) if (l.trim()) lines.push(l);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, lines, exited };
}

const retries = (lines: readonly string[]) => lines.filter((l) => l.includes('start failed; retrying'));

describe('a standalone service started before its database', () => {
  it('retries with backoff, naming the cause, then connects and relays once PostgreSQL is up', async () => {
    const port = await freePort();
    const [wsPort, metricsPort] = [await freePort(), await freePort()];
    const { child, lines, exited } = startBroadcaster({
      DATABASE_URL: embeddedDatabaseUrl(port, 'late'),
      WEBSOCKET_PORT: String(wsPort),
      BROADCASTER_METRICS_PORT: String(metricsPort),
    });
    await eventually(
      () => retries(lines).length,
      (n) => n >= 2,
      60_000,
    );
    for (const line of retries(lines)) {
      const entry = JSON.parse(line) as { attempt: number; cause: string; retryInMs: number };
      expect(entry.cause).toMatch(/ECONNREFUSED/);
      expect(entry.retryInMs).toBeGreaterThan(0);
    }
    expect(
      retries(lines)
        .map((l) => (JSON.parse(l) as { attempt: number }).attempt)
        .slice(0, 2),
    ).toEqual([1, 2]);
    expect(child.exitCode).toBeNull();

    db = await startEmbeddedDatabase({ dataDir: join(dir, 'pg'), port, database: 'late' });
    const health = await eventually(
      async () => {
        try {
          const res = await fetch(`http://127.0.0.1:${metricsPort}/health`);
          return res.status;
        } catch {
          return 0;
        }
      },
      (status) => status === 200,
      60_000,
    );
    expect(health).toBe(200);

    // It works: a NOTIFY reaches a WebSocket client.
    const client = await WsCollector.connect(`ws://127.0.0.1:${wsPort}/`);
    const notifier = await Notifier.connect(db.url);
    await notifier.notify('ohlcUpdate', [barPayload('LATE', 2, 1, 3)]);
    await notifier.end();
    const bar = await client.waitFor((m) => m.type === 'ohlc');
    expect(bar.contract_id).toBe('LATE');
    client.close();

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 180_000);

  it('stops at once on SIGTERM while retrying', async () => {
    const port = await freePort();
    const { child, lines, exited } = startBroadcaster({
      DATABASE_URL: embeddedDatabaseUrl(port, 'never'),
      WEBSOCKET_PORT: String(await freePort()),
      BROADCASTER_METRICS_PORT: String(await freePort()),
    });
    await eventually(
      () => retries(lines).length,
      (n) => n >= 1,
      60_000,
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 90_000);

  it('a configuration error is not retried: its message, no stack trace, exit 1', async () => {
    const { lines, exited } = startBroadcaster({ WEBSOCKET_PORT: 'not-a-port', LOG_LEVEL: 'info' });
    expect(await exited).toBe(1);
    expect(retries(lines)).toEqual([]);
    expect(lines.join('\n')).toMatch(/^broadcaster: .*(WEBSOCKET_PORT|broadcaster\.port)/m);
    expect(lines.filter((l) => /^\s+at /.test(l))).toEqual([]);
  }, 90_000);

  it(`the ingester retries while the provider's login fails, then starts`, async () => {
    const LOGIN = '/api/Auth/loginKey';
    const fake = await FakeProjectXServer.start({ username: 'alice', apiKey: 'secret-key' });
    const testDb = await createTestDatabase();
    try {
      fake.rest.failNext(LOGIN, 401, { times: 2 });
      const { child, lines, exited } = startService('ingester', {
        DATABASE_URL: testDb.url,
        INGESTER_METRICS_PORT: String(await freePort()),
        INGEST_PROVIDER: 'projectx',
        PROJECTX_API_URL: fake.url,
        PROJECTX_MARKET_HUB_URL: fake.hubUrl,
        PROJECTX_USERNAME: 'alice',
        PROJECTX_API_KEY: 'secret-key',
        INGEST_CONTRACTS: 'CON.F.US.MES.M25',
      });
      await eventually(
        () => lines.some((l) => l.includes('"ingester started"')),
        (started) => started,
        90_000,
      );
      const failed = retries(lines).map((l) => JSON.parse(l) as { attempt: number; cause: string });
      expect(failed.map((f) => f.attempt)).toEqual([1, 2]);
      for (const f of failed) expect(f.cause).toMatch(/ProjectX login failed for user alice: HTTP 401/);
      expect(fake.rest.callsTo(LOGIN).map((c) => c.status)).toEqual([401, 401, 200]);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      await fake.close();
      await testDb.drop();
    }
  }, 120_000);
});
