// Fenced leases on a real PostgreSQL (migration 018): each take bumps the unit's epoch before the unit
// counts as held; an instance whose session came back finds out whether another took the unit meanwhile
// (its epoch moved) even when the lock is free again, and then restarts the unit from what is stored.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LeaseManager } from '@barstream/core/node';
import { eventually } from '../support/eventually.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

let db: TestDatabase;
let admin: pg.Client;
const managers: LeaseManager[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
});
afterEach(async () => {
  for (const m of managers.splice(0)) await m.stop();
});
afterAll(async () => {
  await admin?.end();
  await db?.drop();
});

function instance(id: string, unit: string, retryMs = 100) {
  const events: string[] = [];
  const manager = new LeaseManager({
    service: 'ingester',
    databaseUrl: db.url,
    units: () => [unit],
    retryMs,
    logger: quietLogger('lease'),
    instanceId: id,
    fenced: true,
    handler: {
      acquired: (u) => void events.push(`acquired ${u} at ${manager.epochOf(u)}`),
      released: (u) => void events.push(`released ${u}`),
    },
  });
  managers.push(manager);
  return { manager, events };
}

async function storedEpoch(unit: string): Promise<number | undefined> {
  const { rows } = await admin.query<{ epoch: string }>(`SELECT epoch FROM lease_epochs WHERE service = 'ingester' AND unit = $1`, [unit]);
  return rows[0] ? Number(rows[0].epoch) : undefined;
}

describe('fenced leases', () => {
  it('every take bumps the epoch, before acquired runs; a clean stop and a new take bump it again', async () => {
    const a = instance('epoch-a', 'e1');
    await a.manager.start();
    expect(a.events).toEqual(['acquired e1 at 1']);
    expect(await storedEpoch('e1')).toBe(1);
    await a.manager.stop();
    expect(a.manager.epochOf('e1')).toBeUndefined();
    const b = instance('epoch-b', 'e1');
    await b.manager.start();
    expect(b.events).toEqual(['acquired e1 at 2']);
    expect(await storedEpoch('e1')).toBe(2);
  });

  it('a unit another instance took and gave back while this one was disconnected is restarted, not continued', async () => {
    // A's cycles run only when poked: B must take the unit while A is away.
    const a = instance('gone-a', 'e2', 3_600_000);
    await a.manager.start();
    expect(a.manager.epochOf('e2')).toBe(1);
    // A's session ends (its advisory lock with it) and, before A's next cycle, B takes the unit and stops.
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'barstream-lease:ingester:gone-a'`);
    await eventually(
      async () =>
        (await admin.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'barstream-lease:ingester:gone-a'`)).rows.length === 0,
    );
    const b = instance('gone-b', 'e2');
    await b.manager.start();
    await eventually(() => b.manager.holds('e2'));
    await b.manager.stop();
    expect(await storedEpoch('e2')).toBe(2);
    // A reconnects and locks the free unit again, but its epoch moved: it stops the unit, gives it back,
    // and takes it afresh (epoch 3), resuming from storage.
    await a.manager.poke(); // reconnects, locks again, finds the epoch moved: stopped and given back
    await a.manager.poke(); // takes it afresh
    expect(a.events).toEqual(['acquired e2 at 1', 'released e2', 'acquired e2 at 3']);
    expect(a.manager.epochOf('e2')).toBe(3);
    expect(await storedEpoch('e2')).toBe(3);
  });
});
