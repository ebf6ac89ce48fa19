// docker-compose.yml's application services run commands this test runs for real: the compiled
// output of `npm run build` (dist/, web/.next/standalone) against a real PostgreSQL, each until its
// own compose healthcheck passes, then stopped with SIGTERM as `docker compose stop` does. No Docker
// engine runs here: the images themselves are not built (README says so).
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allEntries, serviceEntries } from '../../scripts/lib/build-entries.ts';
import { bundleEntries } from '../../scripts/lib/bundle-entries.ts';
import { eventually } from '../support/eventually.ts';
import { freePort } from '../support/free-port.ts';
import { createEmptyDatabase, type TestDatabase } from '../support/test-database.ts';

const ROOT = join(import.meta.dirname, '../..');
const STANDALONE_DIR = join(ROOT, 'web/.next/standalone');

const composeService = z.object({
  image: z.string().optional(),
  command: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.string()).optional(),
  healthcheck: z.object({ test: z.array(z.string()) }).optional(),
});
const composeFile = z.object({ services: z.record(z.string(), composeService) });
const compose = composeFile.parse(parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }));
/** The services built from this repository (the database is the TimescaleDB image). */
const appServices = Object.entries(compose.services).filter(([, s]) => s.image?.startsWith('barstream-'));

/** The env variable that sets the port each service's healthcheck asks, with the port the settings
 * give it by default (the one the container listens on). */
const HEALTH_PORTS: Record<string, { env: string; port: number }> = {
  ingester: { env: 'INGESTER_METRICS_PORT', port: 9101 },
  analyzer: { env: 'ANALYZER_METRICS_PORT', port: 9102 },
  broadcaster: { env: 'BROADCASTER_METRICS_PORT', port: 9103 },
  alerter: { env: 'ALERTER_METRICS_PORT', port: 9104 },
  trader: { env: 'TRADER_METRICS_PORT', port: 9105 },
  web: { env: 'PORT', port: 3000 },
};

function scriptOf(command: readonly string[]): string {
  const script = command.find((arg, i) => i > 0 && !arg.startsWith('-'));
  if (script === undefined) throw new Error(`no script in ${command.join(' ')}`);
  return script;
}

describe('docker-compose.yml', () => {
  it('names the migrations, every service and the web app, each with a node command', () => {
    const names = appServices.map(([name]) => name).sort();
    expect(names).toEqual(['migrate', 'web', ...serviceEntries(ROOT).map((e) => e.name)].sort());
    for (const [name, service] of appServices) {
      expect(service.command?.[0], name).toBe('node');
    }
  });

  it('runs only files `npm run build` produces', () => {
    const built = new Set([...allEntries(ROOT).map((e) => e.output), 'web/server.js']);
    for (const [name, service] of appServices) expect(built, name).toContain(scriptOf(service.command ?? []));
  });

  it('asks each long-running service for its health on the port it listens on in the container', () => {
    for (const [name, service] of appServices.filter(([n]) => n !== 'migrate')) {
      const expected = HEALTH_PORTS[name];
      expect(expected, `${name}: no known health port`).toBeDefined();
      expect(service.healthcheck?.test.join(' '), name).toContain(`127.0.0.1:${expected?.port}/`);
    }
  });
});

describe('the compose commands, run from the compiled output', () => {
  let db: TestDatabase;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    db = await createEmptyDatabase();
    // What the image's `npm run build` does for the services and commands (the web build is
    // postinstall's; the standalone server is checked below).
    await bundleEntries(ROOT, allEntries(ROOT));
  }, 120_000);
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await db?.drop();
  });

  /** The compose environment (its `${VAR:-default}` as Compose fills it without a .env) with this
   * test's database, ports and quiet logs. */
  function envFor(name: string, extra: Record<string, string>): NodeJS.ProcessEnv {
    const composeEnv = Object.entries(compose.services[name]?.environment ?? {}).map(
      ([key, value]) => [key, value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')] as const,
    );
    const env: NodeJS.ProcessEnv = { ...process.env, ...Object.fromEntries(composeEnv), ...extra };
    env.DATABASE_URL = db.url;
    env.LOG_LEVEL = 'warn';
    delete env.BARSTREAM_CONFIG;
    return env;
  }

  function commandOf(name: string): { command: string; args: string[] } {
    const [command, ...args] = compose.services[name]?.command ?? [];
    if (command !== 'node') throw new Error(`${name}: command is not node`);
    return { command: process.execPath, args };
  }

  /** The service's compose healthcheck, run as Docker runs it, with the test's port for the container's. */
  function healthcheckPasses(name: string, port: number, env: NodeJS.ProcessEnv): Promise<boolean> {
    const [kind, command, ...args] = compose.services[name]?.healthcheck?.test ?? [];
    if (kind !== 'CMD' || command !== 'node') throw new Error(`${name}: healthcheck is not a node CMD`);
    const expected = HEALTH_PORTS[name]?.port;
    const withPort = args.map((a) => a.replace(`127.0.0.1:${expected}/`, `127.0.0.1:${port}/`));
    return new Promise((resolve) => {
      execFile(process.execPath, withPort, { env, timeout: 30_000 }, (err) => resolve(err === null));
    });
  }

  it('migrate applies the migrations to an empty database and exits 0', () => {
    const { command, args } = commandOf('migrate');
    const result = spawnSync(command, args, { cwd: ROOT, env: envFor('migrate', {}), encoding: 'utf8', timeout: 120_000 });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^migrations at version \d+; applied: 1\.schema, /);
    expect(result.status).toBe(0);
  }, 150_000);

  // Exiting on SIGTERM is asserted as handled (the process exits by itself, not killed by the signal),
  // not as exit code 0: a service stops within its own 4 s deadline, a wall-clock margin a loaded
  // machine can miss (then it exits 1, by design); stopping cleanly is the supervisor tests' subject.
  it.each(['ingester', 'analyzer', 'alerter', 'trader', 'broadcaster', 'web'])(
    '%s starts, passes its healthcheck, and exits by itself on SIGTERM',
    async (name) => {
      const port = await freePort();
      const extra: Record<string, string> = { [HEALTH_PORTS[name]?.env ?? 'PORT']: String(port), WEBSOCKET_PORT: String(await freePort()) };
      let cwd = ROOT;
      if (name === 'web') {
        // The web image is web/.next/standalone copied to /app (Dockerfile), so its command runs there.
        expect(existsSync(join(STANDALONE_DIR, 'web/server.js')), 'web/.next/standalone missing: run npm run build').toBe(true);
        cwd = STANDALONE_DIR;
        extra.HOSTNAME = '127.0.0.1';
      }
      const env = envFor(name, extra);
      const { command, args } = commandOf(name);
      const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      const output: string[] = [];
      child.stdout.on('data', (d: Buffer) => output.push(d.toString('utf8')));
      child.stderr.on('data', (d: Buffer) => output.push(d.toString('utf8')));
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
        child.once('exit', (code, signal) => resolve({ code, signal })),
      );

      await eventually(async () => child.exitCode !== null || (await healthcheckPasses(name, port, env)), 120_000);
      expect(child.exitCode, output.join('')).toBeNull();
      child.kill('SIGTERM');
      const { code, signal } = await exited;
      expect(signal, output.join('')).toBeNull();
      expect(typeof code).toBe('number');
    },
    180_000,
  );
});
