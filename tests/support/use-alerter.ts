// The alerter tests' shared ground: one migrated database and pool per test file, a webhook receiver
// (started by the test that wants its address), and the alerters a test starts, every one stopped after
// the file's last test (AlerterService.stop is idempotent), then the receiver, the pool and the database.
import { afterAll } from 'vitest';
import type { AlerterService } from '../../alerter/src/alerter-service.ts';
import type { Pool } from '../../core/src/node/db-pool.ts';
import { WebhookReceiver } from '../fakes/webhook-receiver.ts';
import { alerterSettings, SECRET, startAlerter } from './alerter-fixture.ts';
import type { TestDatabase } from './test-database.ts';
import { useTestDatabase } from './use-test-database.ts';

export interface AlerterGround {
  /** The file's database and pool, from its first test on. */
  readonly db: TestDatabase;
  readonly pool: Pool;
  /** A webhook receiver checking SECRET's signatures; `start()` it for its base URL. */
  readonly receiver: WebhookReceiver;
  /** Starts an alerter on the file's database (see startAlerter for `fromTheStart`). */
  start(root: string, settings: ReturnType<typeof alerterSettings>, fromTheStart?: boolean): Promise<AlerterService>;
  /** The alerter started last, while it runs. */
  readonly running: AlerterService;
  /** Stops every alerter started so far (a restart is `stop()` then `start()`). */
  stop(): Promise<void>;
}

/** Registers this file's beforeAll/afterAll and returns the ground its tests read once it is ready;
 * `receiverSeed` decides the receiver's seeded failures (modes such as 'flaky'). */
export function useAlerter(options: { receiverSeed?: number } = {}): AlerterGround {
  let db: TestDatabase | undefined;
  let pool: Pool | undefined;
  const receiver = new WebhookReceiver(SECRET, options.receiverSeed);
  let started: AlerterService[] = [];
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useAlerter: ${what} is read before the file's beforeAll ran, or after its afterAll`);
    return value;
  };
  const stop = async (): Promise<void> => {
    const stopping = started;
    started = [];
    for (const alerter of stopping) await alerter.stop();
  };
  // Registered first, so its afterAll runs last: the database outlives the alerters and the receiver.
  useTestDatabase((ground) => ({ db, pool } = ground));
  afterAll(async () => {
    await stop();
    await receiver.stop();
  });
  return {
    get db() {
      return ready(db, 'the database');
    },
    get pool() {
      return ready(pool, 'the pool');
    },
    receiver,
    async start(root, settings, fromTheStart) {
      const alerter = await startAlerter(ready(db, 'the database').url, root, settings, fromTheStart);
      started.push(alerter);
      return alerter;
    },
    get running() {
      return ready(started.at(-1), 'the running alerter (none is started)');
    },
    stop,
  };
}
