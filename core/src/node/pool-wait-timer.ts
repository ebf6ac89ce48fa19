// Times how long each checkout of a node-postgres pool waits for a connection: from the call to
// `connect` (which `pool.query` makes too) until a client is handed over or the wait fails. pg's
// pool keeps no such figure; its `waitingCount` only says how many wait at one instant.
import type pg from 'pg';

/** Seconds one checkout waited (an idle client: about 0; a new connection: the connect time). */
export type PoolWaitObserver = (seconds: number) => void;

type ConnectCallback = (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void;
/** `pool.connect` in both forms; pg-pool's own `query` calls the callback form on `this`. */
type Connect = (callback?: ConnectCallback) => Promise<pg.PoolClient> | undefined;

const timed = new WeakSet<pg.Pool>();

/** Wraps `pool.connect` so every checkout reports its wait to `observe`. Once per pool: a second
 * call would count every wait twice, so it throws. `now` is in milliseconds (tests pass a clock). */
export function timePoolWaits(pool: pg.Pool, observe: PoolWaitObserver, now: () => number = () => performance.now()): void {
  if (timed.has(pool)) throw new Error('timePoolWaits: this pool is already timed; each wait would be counted twice');
  timed.add(pool);
  const connect = (pool.connect as Connect).bind(pool);
  const timedConnect: Connect = (callback) => {
    const started = now();
    const done = (): void => observe((now() - started) / 1000);
    if (callback !== undefined) {
      return connect((err, client, release) => {
        done();
        callback(err, client, release);
      });
    }
    return (connect() as Promise<pg.PoolClient>).then(
      (client) => {
        done();
        return client;
      },
      (err: unknown) => {
        done();
        throw err;
      },
    );
  };
  (pool as { connect: Connect }).connect = timedConnect;
}
