// Leases on a real PostgreSQL: instances split the units by fair share, a survivor takes a dead
// instance's units on its next cycles, a clean stop hands everything back.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaseKey } from '@barstream/core';
import { LeaseManager } from '@barstream/core/node';
import { eventually } from '../support/eventually.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const UNITS = ['c1', 'c2', 'c3', 'c4'];

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

function instance(id: string, units = UNITS) {
  const started: string[] = [];
  const stopped: string[] = [];
  const manager = new LeaseManager({
    service: 'ingester',
    databaseUrl: db.url,
    units: () => units,
    retryMs: 100,
    logger: quietLogger('lease'),
    instanceId: id,
    handler: {
      acquired: (u) => void started.push(u),
      released: (u) => void stopped.push(u),
    },
  });
  return { manager, started, stopped };
}

/** Which lease session holds each unit's advisory lock, read from pg_locks. */
async function holders(): Promise<Map<string, string>> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ classid: number; objid: number; app: string }>(
      `SELECT l.classid::int AS classid, l.objid::bigint AS objid, a.application_name AS app
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.objsubid = 2 AND l.granted`,
    );
    const out = new Map<string, string>();
    for (const unit of UNITS) {
      const key = leaseKey('ingester', unit);
      // pg_locks shows the int4 halves as unsigned oids.
      const row = rows.find((r) => r.classid === key.namespace && Number(r.objid) === key.hash >>> 0);
      if (row) out.set(unit, row.app);
    }
    return out;
  } finally {
    await client.end();
  }
}

describe('LeaseManager', () => {
  it('a lone instance holds every unit after its first cycle', async () => {
    const a = instance('solo');
    await a.manager.start();
    expect([...a.manager.held].sort()).toEqual(UNITS);
    expect([...a.started].sort()).toEqual(UNITS);
    expect([...(await holders()).values()]).toEqual(UNITS.map(() => 'barstream-lease:ingester:solo'));
    await a.manager.stop();
    expect([...a.stopped].sort()).toEqual(UNITS);
    expect((await holders()).size).toBe(0);
  });

  it('two instances split four units 2/2; when one dies the other takes all within a few cycles', async () => {
    const a = instance('a');
    const b = instance('b');
    await a.manager.start();
    await b.manager.start();
    await eventually(() => a.manager.held.size === 2 && b.manager.held.size === 2);
    const all = await holders();
    expect(all.size).toBe(4);
    expect([...all.values()].filter((h) => h.endsWith(':a'))).toHaveLength(2);
    // Every unit was started exactly once more than it was stopped, across both: never two holders.
    for (const u of UNITS) {
      const running = [a, b].map((i) => i.started.filter((x) => x === u).length - i.stopped.filter((x) => x === u).length);
      expect(running.reduce((s, n) => s + n, 0)).toBe(1);
    }

    // Dies without releasing: no more cycles, and the session just ends (as when the process is
    // SIGKILLed; tests/integration/standby-ingester.test.ts kills real processes).
    const dying = a.manager as unknown as { state: string; timer: NodeJS.Timeout; connection: { close(): Promise<void> } };
    dying.state = 'stopped';
    clearTimeout(dying.timer);
    await dying.connection.close();
    const cyclesAtDeath = b.manager.cycles;
    await eventually(async () => b.manager.held.size === 4);
    // The survivor needed a cycle or two (one may have been in flight; room for the backend's exit
    // on a loaded machine), not a timeout.
    expect(b.manager.cycles - cyclesAtDeath).toBeLessThanOrEqual(5);
    expect([...(await holders()).values()]).toEqual(UNITS.map(() => 'barstream-lease:ingester:b'));
    await b.manager.stop();
  });

  it('a clean stop hands the units to the standby', async () => {
    const b = instance('standby', ['only']);
    const a1 = instance('active1', ['only']);
    await a1.manager.start();
    await b.manager.start();
    await eventually(() => b.manager.cycles >= 2);
    expect(b.manager.held.size).toBe(0);
    await a1.manager.stop();
    const cycles = b.manager.cycles;
    await eventually(() => b.manager.holds('only'));
    expect(b.manager.cycles - cycles).toBeLessThanOrEqual(5);
    await b.manager.stop();
  });
});
