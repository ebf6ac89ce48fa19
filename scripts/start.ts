// `npm start`: database (embedded unless DATABASE_URL), migrations, the three services and web,
// each its own process with prefixed logs; Ctrl-C stops everything within 5 seconds.
import { join, resolve } from 'node:path';
import { databaseUrl, loadConfig } from '@barstream/core/node';
import { applyMigrations } from '@barstream/prisma';
import { INGESTER_NODE_FLAGS } from '../ingester/src/node-flags.ts';
import { WEB_NODE_FLAGS } from '../web/node-flags.ts';
import { SupervisedChild } from './lib/child-process.ts';
import { type EmbeddedDatabase, startEmbeddedDatabase } from './lib/embedded-database.ts';
import { webBuildIsStale } from './lib/web-build.ts';

const say = (line: string): void => { process.stdout.write(`${line}\n`); };
const note = (line: string): void => say(`\x1b[1mbarstream  \x1b[0m| ${line}`);

const { settings, rootDir, configPath } = loadConfig();
let embedded: EmbeddedDatabase | undefined;
const children: SupervisedChild[] = [];
let shuttingDown = false;

async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  note('stopping…');
  const hardExit = setTimeout(() => process.exit(code || 1), 4_800);
  await Promise.all(children.map((c) => c.stop(3_000)));
  await embedded?.stop().catch(() => undefined);
  clearTimeout(hardExit);
  note('stopped');
  process.exit(code);
}
// PostgreSQL runs in its own process group (scripts/lib/postgres-process.ts), so a terminal's Ctrl-C
// reaches the services, which flush and exit, and the database is stopped last, here.
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  let url: string;
  if (settings.database.url) {
    url = databaseUrl(settings);
    note(`using DATABASE_URL (${url.replace(/:[^:@/]*@/, ':***@')})`);
  } else {
    const dataDir = resolve(rootDir, settings.database.embedded_data_dir);
    note(`starting embedded PostgreSQL on 127.0.0.1:${settings.database.embedded_port} (data in ${dataDir})`);
    embedded = await startEmbeddedDatabase({ dataDir, port: settings.database.embedded_port });
    url = embedded.url;
    note(`database ready: psql ${url}`);
  }
  const migration = await applyMigrations(url);
  note(`migrations at version ${migration.version}${migration.applied.length ? ` (applied ${migration.applied.join(', ')})` : ''}; ` +
    (migration.timescaledb ? 'TimescaleDB hypertables' : 'plain PostgreSQL tables (no TimescaleDB)'));

  const env = { ...process.env, DATABASE_URL: url, BARSTREAM_CONFIG: configPath, NEXT_TELEMETRY_DISABLED: '1' };
  if (webBuildIsStale(rootDir)) {
    note('building the web app (production build)…');
    const build = new SupervisedChild({ name: 'web-build', command: process.execPath,
      args: [join(rootDir, 'node_modules/next/dist/bin/next'), 'build'], cwd: join(rootDir, 'web'), env, color: 35, restart: false }, say);
    children.push(build);
    build.start();
    const code = await build.wait();
    children.pop();
    if (code !== 0) throw new Error(`web build failed (exit ${code})`);
  }
  const tsxService = (name: string, color: number, flags: readonly string[] = []): SupervisedChild => new SupervisedChild({
    name, command: process.execPath, args: [...flags, '--import', 'tsx', join(rootDir, name, 'src/main.ts')], cwd: rootDir, env, color, restart: true,
  }, say);
  children.push(tsxService('ingester', 36, INGESTER_NODE_FLAGS), tsxService('analyzer', 33), tsxService('broadcaster', 32));
  children.push(new SupervisedChild({ name: 'web', command: process.execPath,
    args: [...WEB_NODE_FLAGS, join(rootDir, 'node_modules/next/dist/bin/next'), 'start', '-p', String(settings.web.port), '-H', settings.web.host],
    cwd: join(rootDir, 'web'), env, color: 34, restart: true }, say));
  for (const child of children) child.start();
  note(`open http://localhost:${settings.web.port}/trends   (WebSocket ws://${settings.broadcaster.host}:${settings.broadcaster.port}; Ctrl-C stops everything)`);
} catch (err) {
  note(`\x1b[31mfailed to start: ${(err as Error).message}\x1b[0m`);
  await shutdown(1);
}
