// `npm start`: database (embedded unless DATABASE_URL), migrations, the four services and web,
// each its own process with prefixed logs; Ctrl-C stops everything within 5 seconds.
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { acceptNoArguments, CONFIG_USAGE } from '@barstream/core/command-line';
import type { SupervisedChild as Supervised } from './lib/child-process.ts';
import type { DataDirLock } from './lib/data-dir-lock.ts';
import type { EmbeddedDatabase } from './lib/embedded-database.ts';

/** `npm run dev`: the services from their TypeScript sources through tsx, restarted by Node's watch
 * mode when a file they import changes, and the web app's `next dev` (hot reload). */
const dev = process.argv[2] === '--dev';
acceptNoArguments(
  `Usage: npm start        (compiled: npm run build's dist/ and the web app's production build)
       npm run dev      (development: sources through tsx, reloaded on change; next dev)

Starts everything, each in its own process with prefixed logs: the embedded PostgreSQL (unless
DATABASE_URL is set; data in database.embedded_data_dir, BARSTREAM_DATA_DIR), the migrations, then
ingester, analyzer, broadcaster, alerter, trader and the web app (web.port, WEB_PORT). A service that crashes is
restarted; one that fails the same way 3 times in a row stops everything with its reason. Refuses
to start when the data dir is in use by another run or a port it needs is taken. Ctrl-C stops all.
${CONFIG_USAGE}`,
  process.argv.slice(dev ? 3 : 2),
);

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const note = (line: string): void => say(`\x1b[1mbarstream  \x1b[0m| ${line}`);

// What starts everything loads only past the arguments: `--help` answers without it (bench/cli-start.ts).
const [
  { databaseUrl, loadConfigOrExit },
  { applyMigrations },
  { ANALYZER_NODE_FLAGS },
  { INGESTER_NODE_FLAGS },
  { WEB_NODE_FLAGS },
  { placeStandaloneStaticFiles, standaloneServerEnv, standaloneServerPath },
  { SupervisedChild },
  { acquireDataDirLock, DataDirLockedError },
  { startEmbeddedDatabase, stopStaleServer },
  { findTakenPort, supervisorPorts },
  { servicePath, serviceEntries },
  { bundleEntries },
  { webBuildIsStale },
] = await Promise.all([
  import('@barstream/core/node'),
  import('@barstream/prisma/migrate'),
  import('../analyzer/src/node-flags.ts'),
  import('../ingester/src/node-flags.ts'),
  import('../web/node-flags.ts'),
  import('../web/standalone-server.ts'),
  import('./lib/child-process.ts'),
  import('./lib/data-dir-lock.ts'),
  import('./lib/embedded-database.ts'),
  import('./lib/port-preflight.ts'),
  import('./lib/build-entries.ts'),
  import('./lib/bundle-entries.ts'),
  import('./lib/web-build.ts'),
]);

const { settings, rootDir, configPath } = loadConfigOrExit();
// The code to run lives beside this script, whatever directory the settings file is in: the
// config's root only places relative paths of the settings (the data dir).
const repoDir = fileURLToPath(new URL('..', import.meta.url));
let embedded: EmbeddedDatabase | undefined;
const children: Supervised[] = [];
let shuttingDown = false;
/** When, after Ctrl-C, the database's fast shutdown gives way to an immediate one. */
const DATABASE_STOP_BY_MS = 4_300;

async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  note('stopping…');
  const started = Date.now();
  const hardExit = setTimeout(() => process.exit(code || 1), 4_800);
  await Promise.all(children.map((c) => c.stop(3_000)));
  // The database's shutdown checkpoint writes what the services' last flushes left dirty: under heavy
  // ingest that can outlast the 5 s promise. Past ~4.3 s it is told to stop at once (WAL replay on the
  // next start; nothing committed is lost) rather than left running when this process exits.
  await embedded?.stop(Math.max(0, DATABASE_STOP_BY_MS - (Date.now() - started))).catch(() => undefined);
  clearTimeout(hardExit);
  note('stopped');
  process.exit(code);
}
// PostgreSQL runs in its own process group (scripts/lib/postgres-process.ts), so a terminal's Ctrl-C
// reaches the services, which flush and exit, and the database is stopped last, here.
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

/** Refuses (one line, exit code 1, nothing started or changed) what cannot work: a data dir in use
 * by a live run, a port that is taken. */
async function preflight(dataDir: string | undefined): Promise<DataDirLock | undefined> {
  let lock: DataDirLock | undefined;
  if (dataDir !== undefined) {
    try {
      lock = acquireDataDirLock(dataDir, 'npm start');
    } catch (err) {
      if (!(err instanceof DataDirLockedError)) throw err;
      refuse(err.message);
    }
    // The lock is ours: a PostgreSQL still running on this data dir belongs to a run that was killed,
    // and holds the database port the check below would find taken.
    await stopStaleServer(resolve(dataDir));
  }
  const taken = await findTakenPort(supervisorPorts(settings, dataDir !== undefined));
  if (taken) {
    lock?.release();
    refuse(taken);
  }
  return lock;
}

function refuse(line: string): never {
  process.stderr.write(`barstream: ${line}\n`);
  process.exit(1);
}

try {
  const dataDir = settings.database.url ? undefined : resolve(rootDir, settings.database.embedded_data_dir);
  const lock = await preflight(dataDir);
  // The services are compiled (dist/<service>/main.js) while the database starts, also when
  // `npm run build` just did: a run from the sources (tests start this file through tsx) never starts
  // stale bundles. Should esbuild fail, the services run through tsx.
  const bundled = dev
    ? Promise.resolve(false)
    : bundleEntries(repoDir, serviceEntries(repoDir)).then(
        () => true,
        (err: unknown) => {
          note(`compiling the services failed, running them through tsx: ${(err as Error).message.split('\n')[0]}`);
          return false;
        },
      );
  let url: string;
  if (dataDir === undefined) {
    url = databaseUrl(settings);
    note(`using DATABASE_URL (${url.replace(/:[^:@/]*@/, ':***@')})`);
  } else {
    note(`starting embedded PostgreSQL on 127.0.0.1:${settings.database.embedded_port} (data in ${dataDir})`);
    embedded = await startEmbeddedDatabase({ dataDir, port: settings.database.embedded_port, lock, restartOnExit: note });
    url = embedded.url;
    note(`database ready: psql ${url}`);
  }
  const migration = await applyMigrations(url);
  note(
    `migrations at version ${migration.version}${migration.applied.length ? ` (applied ${migration.applied.join(', ')})` : ''}; ` +
      (migration.timescaledb ? 'TimescaleDB hypertables' : 'plain PostgreSQL tables (no TimescaleDB)'),
  );

  const env = { ...process.env, DATABASE_URL: url, BARSTREAM_CONFIG: configPath, NEXT_TELEMETRY_DISABLED: '1' };
  if (!dev && webBuildIsStale(repoDir)) {
    note('building the web app (production build)…');
    const build = new SupervisedChild(
      {
        name: 'web-build',
        command: process.execPath,
        args: [join(repoDir, 'node_modules/next/dist/bin/next'), 'build'],
        cwd: join(repoDir, 'web'),
        env,
        color: 35,
        restart: false,
      },
      say,
    );
    children.push(build);
    build.start();
    const code = await build.wait();
    children.pop();
    if (code !== 0) throw new Error(`web build failed (exit ${code})`);
  }
  const giveUp = (reason: string): void => {
    note(`\x1b[31m${reason}; stopping\x1b[0m`);
    void shutdown(1);
  };
  const useBundles = await bundled;
  // Every child stops itself if this process is killed without a chance to stop it.
  const withParent = ['--import', pathToFileURL(join(repoDir, 'scripts/lib/exit-with-parent.mjs')).href];
  const service = (name: string, color: number, flags: readonly string[] = []): Supervised =>
    new SupervisedChild(
      {
        name,
        command: process.execPath,
        cwd: repoDir,
        env,
        color,
        restart: true,
        onGiveUp: giveUp,
        args: useBundles
          ? [...flags, ...withParent, '--enable-source-maps', join(repoDir, servicePath(name))]
          : [...flags, ...withParent, ...(dev ? ['--watch'] : []), '--import', 'tsx', join(repoDir, name, 'src/main.ts')],
      },
      say,
    );
  children.push(service('ingester', 36, INGESTER_NODE_FLAGS), service('analyzer', 33, ANALYZER_NODE_FLAGS), service('broadcaster', 32));
  children.push(service('alerter', 35));
  children.push(service('trader', 94));
  // Production: Next's standalone server, as the container image runs it (`next start` warns that it
  // does not work with `output: 'standalone'`); development: `next dev`.
  if (!dev) placeStandaloneStaticFiles(repoDir);
  const nextDev = [join(repoDir, 'node_modules/next/dist/bin/next'), 'dev', '-p', String(settings.web.port), '-H', settings.web.host];
  children.push(
    new SupervisedChild(
      {
        name: 'web',
        command: process.execPath,
        args: [...WEB_NODE_FLAGS, ...withParent, ...(dev ? nextDev : [standaloneServerPath(repoDir)])],
        cwd: join(repoDir, 'web'),
        env: { ...env, ...standaloneServerEnv(settings.web.host, settings.web.port) },
        color: 34,
        restart: true,
        onGiveUp: giveUp,
      },
      say,
    ),
  );
  for (const child of children) child.start();
  note(
    `open http://localhost:${settings.web.port}/trends   (WebSocket ws://${settings.broadcaster.host}:${settings.broadcaster.port}; Ctrl-C stops everything)`,
  );
} catch (err) {
  note(`\x1b[31mfailed to start: ${(err as Error).message}\x1b[0m`);
  await shutdown(1);
}
