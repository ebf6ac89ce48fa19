// `npm start` (scripts/start.ts) as a user runs it: its own ports and data dir, real PostgreSQL, real
// services. A second run on the same data dir, taken ports, a crash loop, a killed PostgreSQL.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYZER_NODE_FLAGS } from '../../analyzer/src/node-flags.ts';
import { eventually } from '../support/eventually.ts';
import { freeStackPorts, type StackPorts, stackEnv } from '../support/stack-env.ts';

const ROOT = join(import.meta.dirname, '../..');
// Starting the whole stack on a loaded 2-core machine: PostgreSQL, migrations, four Node processes.
const STACK_START_MS = 150_000;

interface Supervisor {
  readonly process: ChildProcess;
  readonly output: string[];
  readonly exited: Promise<number | null>;
}

function startSupervisor(env: NodeJS.ProcessEnv, args: readonly string[] = []): Supervisor {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/start.ts'), ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (d: Buffer): void => {
    output.push(...d.toString('utf8').split('\n').filter(Boolean));
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { process: child, output, exited };
}

async function isolatedStack(dir: string): Promise<{ env: NodeJS.ProcessEnv; ports: StackPorts; dataDir: string }> {
  const ports = await freeStackPorts();
  const dataDir = join(dir, 'postgres');
  return { env: stackEnv(ports, dataDir, { LOG_LEVEL: 'warn' }), ports, dataDir };
}

/** Something accepts connections on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function healthy(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    return res.status === 200 && ((await res.json()) as { ok?: unknown }).ok === true;
  } catch {
    return false;
  }
}

function postmasterPid(dataDir: string): number | undefined {
  try {
    return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}

/** The command lines (argv) of the processes whose parent is `pid`, from /proc. */
function childCommandLines(pid: number): string[][] {
  const lines: string[][] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after its last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) lines.push(readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean));
    } catch {
      // the process exited while being read
    }
  }
  return lines;
}

async function stop(s: Supervisor): Promise<void> {
  if (s.process.exitCode === null && s.process.signalCode === null) s.process.kill('SIGINT');
  await s.exited;
}

describe('npm start with BARSTREAM_CONFIG outside the repository', () => {
  let dir: string;
  let first: Supervisor;
  let stack: Awaited<ReturnType<typeof isolatedStack>>;
  const servicePorts = (): number[] => [stack.ports.ingester, stack.ports.analyzer, stack.ports.broadcaster, stack.ports.trader];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'barstream-supervisor-'));
    mkdirSync(join(dir, 'elsewhere'));
    copyFileSync(join(ROOT, 'config/settings.yaml'), join(dir, 'elsewhere/settings.yaml'));
    stack = await isolatedStack(dir);
    first = startSupervisor({ ...stack.env, BARSTREAM_CONFIG: join(dir, 'elsewhere/settings.yaml') });
    await eventually(async () => {
      if (first.process.exitCode !== null) throw new Error(`npm start exited:\n${first.output.slice(-30).join('\n')}`);
      return (await Promise.all(servicePorts().map(healthy))).every(Boolean);
    }, STACK_START_MS);
  }, STACK_START_MS + 10_000);

  afterAll(async () => {
    if (first) await stop(first);
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('starts every service (no spawn ENOENT)', () => {
    expect(first.output.join('\n')).not.toContain('ENOENT');
  });

  it('runs the analyzer with ANALYZER_NODE_FLAGS (its command line in /proc)', () => {
    const analyzer = childCommandLines(first.process.pid as number).filter((args) => args.some((a) => a.endsWith('analyzer/main.js')));
    expect(analyzer).toHaveLength(1);
    const args = analyzer[0] as string[];
    // Node options come before the script: a flag after it would be the script's argument.
    const script = args.findIndex((a) => a.endsWith('analyzer/main.js'));
    for (const flag of ANALYZER_NODE_FLAGS) expect(args.indexOf(flag)).toBeGreaterThan(0);
    for (const flag of ANALYZER_NODE_FLAGS) expect(args.indexOf(flag)).toBeLessThan(script);
  });

  it('a second npm start on the same data dir refuses with one line and touches nothing', async () => {
    const pgBefore = postmasterPid(stack.dataDir);
    const second = startSupervisor({ ...stack.env, BARSTREAM_CONFIG: join(dir, 'elsewhere/settings.yaml') });
    expect(await second.exited).toBe(1);
    expect(second.output).toEqual([
      expect.stringContaining(`data dir ${stack.dataDir} is in use by PID ${first.process.pid} (\`npm start\``) as unknown,
    ]);
    expect(second.output[0]).toContain(`kill ${first.process.pid}`);
    expect(postmasterPid(stack.dataDir)).toBe(pgBefore);
    expect(first.process.exitCode).toBeNull();
    // The first run keeps its database and services (a busy service may answer late, so: until ok).
    await eventually(async () => (await Promise.all(servicePorts().map(healthy))).every(Boolean), 60_000);
    expect(postmasterPid(stack.dataDir)).toBe(pgBefore);
  }, 90_000);

  it('a PostgreSQL killed with SIGKILL is started again, and the services are healthy again', async () => {
    const killed = postmasterPid(stack.dataDir) as number;
    process.kill(killed, 'SIGKILL');
    await eventually(async () => {
      const now = postmasterPid(stack.dataDir);
      return now !== undefined && now !== killed && (await Promise.all(servicePorts().map(healthy))).every(Boolean);
    }, 60_000);
    expect(first.output.some((l) => l.includes(`PostgreSQL (PID ${killed}) exited; restarting it`))).toBe(true);
    expect(first.output.some((l) => /PostgreSQL restarted \(PID \d+\)/.test(l))).toBe(true);
  }, 70_000);

  it(
    'after a kill -9 of npm start its services stop themselves, and the next npm start takes over the data dir',
    async () => {
      const killedPg = postmasterPid(stack.dataDir);
      first.process.kill('SIGKILL');
      await first.exited;
      // Orphaned services notice that their supervisor is gone and stop: their ports close (not merely
      // unhealthy: a service whose database went away answers 503 while it still holds its port).
      await eventually(async () => !(await Promise.all(servicePorts().map(listening))).some(Boolean), 60_000);
      first = startSupervisor({ ...stack.env, BARSTREAM_CONFIG: join(dir, 'elsewhere/settings.yaml') });
      await eventually(async () => {
        if (first.process.exitCode !== null) throw new Error(`npm start exited:\n${first.output.slice(-30).join('\n')}`);
        return (await Promise.all(servicePorts().map(healthy))).every(Boolean);
      }, STACK_START_MS);
      expect(postmasterPid(stack.dataDir)).not.toBe(killedPg);
      expect(JSON.parse(readFileSync(`${stack.dataDir}.lock`, 'utf8'))).toMatchObject({ pid: first.process.pid });
    },
    STACK_START_MS + 70_000,
  );
});

describe('npm start refuses before anything starts', () => {
  let dir: string;
  let blocker: Server | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'barstream-supervisor-'));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('a taken port: one line naming the setting to change; no data dir created', async () => {
    const { env, ports, dataDir } = await isolatedStack(dir);
    blocker = createServer();
    await new Promise<void>((resolve) => blocker?.listen(ports.ws, '127.0.0.1', () => resolve()));
    const run = startSupervisor(env);
    expect(await run.exited).toBe(1);
    expect(run.output).toEqual([
      `barstream: port ${ports.ws} on 127.0.0.1 (broadcaster.port) is taken: set WEBSOCKET_PORT to a free port, or stop what listens there`,
    ]);
    expect(existsSync(dataDir)).toBe(false);
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  }, 60_000);

  it('two settings on one port are named', async () => {
    const { env, ports } = await isolatedStack(dir);
    const run = startSupervisor({ ...env, ANALYZER_METRICS_PORT: String(ports.ingester) });
    expect(await run.exited).toBe(1);
    expect(run.output).toEqual([
      `barstream: analyzer.metrics_port and ingester.metrics_port are both port ${ports.ingester}: set ANALYZER_METRICS_PORT to another port`,
    ]);
  }, 60_000);
});

describe('a service that fails the same way 3 times in a row', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'barstream-supervisor-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'stops the supervisor with the reason, and everything with it',
    async () => {
      const { env, dataDir } = await isolatedStack(dir);
      const run = startSupervisor({ ...env, INGEST_PROVIDER: 'replay', REPLAY_FILE: join(dir, 'no-such-file.csv') });
      expect(await run.exited).toBe(1);
      const reason = run.output.find((l) => l.includes('ingester failed 3 times in a row the same way'));
      expect(reason, run.output.slice(-20).join('\n')).toMatch(/exit code 1: .*no-such-file\.csv.*; stopping/);
      // Exactly three attempts: not restarted after the third.
      expect(run.output.filter((l) => /^\S*ingester\S*\s*\| exited \(code 1\)/.test(stripVTControlCharacters(l)))).toHaveLength(3);
      expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
      expect(existsSync(`${dataDir}.lock`)).toBe(false);
    },
    STACK_START_MS,
  );
});
