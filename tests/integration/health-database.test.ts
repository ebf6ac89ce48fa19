// /health of every service asks the database: 503 with ok: false while it cannot be reached.
import { afterEach, describe, expect, it } from 'vitest';
import { createMetricsRegistry, type MetricsServer, startMetricsServer } from '../../core/src/node.ts';
import { freePort } from '../support/free-port.ts';
import { createTestDatabase } from '../support/test-database.ts';

let server: MetricsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function health(): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${server?.port}/health`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const start = (databaseUrl: string | undefined, ok = true): Promise<MetricsServer> =>
  startMetricsServer({
    registry: createMetricsRegistry('test'),
    host: '127.0.0.1',
    port: 0,
    databaseUrl,
    health: () => ({ ok, service: 'test' }),
  });

describe('/health with a database', () => {
  it('answers 200 while the database answers, and 503 with ok: false once it is gone', async () => {
    const db = await createTestDatabase();
    server = await start(db.url);
    expect(await health()).toEqual({ status: 200, body: { ok: true, service: 'test', database: 'ok' } });
    await db.drop(); // WITH (FORCE): the probe's connection is cut, and reconnecting fails
    const after = await health();
    expect(after.status).toBe(503);
    expect(after.body).toMatchObject({ ok: false, service: 'test' });
    expect(after.body.database).toMatch(/^unreachable: .*does not exist|^unreachable: .*terminat/);
  });

  it('answers 503 when no server listens on the database port', async () => {
    server = await start(`postgresql://nobody:x@127.0.0.1:${await freePort()}/nothing`);
    const res = await health();
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ ok: false, database: expect.stringMatching(/^unreachable: .*ECONNREFUSED/) as unknown });
  });

  it('keeps a service-level failure: ok: false even with the database up', async () => {
    const db = await createTestDatabase();
    server = await start(db.url, false);
    expect(await health()).toEqual({ status: 503, body: { ok: false, service: 'test', database: 'ok' } });
    await server.close();
    server = undefined;
    await db.drop();
  });

  it('without a database URL reports only the service', async () => {
    server = await start(undefined);
    expect(await health()).toEqual({ status: 200, body: { ok: true, service: 'test' } });
  });
});
