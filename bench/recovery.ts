// npm run bench:recovery — `npm start` from a fresh data dir on this machine:
//   first start: spawn → every service's /health ok → first live tick at a WebSocket client → the
//     web app answering (target: /trends live in ≤ 15 s; the web build is not counted when current)
//   kill -9 of each service → its /health ok again (target < 5 s, p50 / max over RECOVERY_KILLS)
//   kill -9 of PostgreSQL's postmaster → every service's /health ok again (target < 5 s)
// Own free ports and a throwaway data dir; the supervisor is stopped at the end.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { freeStackPorts, stackEnv } from '../tests/support/stack-env.ts';
import { figure, percentile, printMachine } from './lib/report.ts';

const KILLS = Number(process.env.RECOVERY_KILLS ?? 5);
const ROOT = join(import.meta.dirname, '..');
const POLL_MS = 25;
const GIVE_UP_MS = 120_000;

const dir = mkdtempSync(join(tmpdir(), 'barstream-bench-recovery-'));
const dataDir = join(dir, 'postgres');
const ports = await freeStackPorts();
const services = { ingester: ports.ingester, analyzer: ports.analyzer, broadcaster: ports.broadcaster };
const env = stackEnv(ports, dataDir);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + GIVE_UP_MS;
  while (!(await check())) {
    if (supervisor.exitCode !== null) throw new Error(`npm start exited while waiting for ${what}:\n${output.slice(-30).join('\n')}`);
    if (Date.now() > deadline) throw new Error(`${what}: not within ${GIVE_UP_MS} ms`);
    await sleep(POLL_MS);
  }
}

async function healthy(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(3_000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

const allHealthy = async (): Promise<boolean> => (await Promise.all(Object.values(services).map(healthy))).every(Boolean);

/** The PID listening on a port (the service process itself, whatever launched it). */
function pidOnPort(port: number): number {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[1]?.endsWith(`:${hex}`) && f[3] === '0A' && f[9]) inodes.add(f[9]);
    }
  }
  for (const pid of readdirPids()) {
    try {
      for (const fd of readdirFds(pid)) if (inodes.has(fd)) return pid;
    } catch {
      // gone meanwhile
    }
  }
  throw new Error(`nothing listens on port ${port}`);
}

function readdirPids(): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
}

function readdirFds(pid: number): string[] {
  return readdirSync(`/proc/${pid}/fd`).map((fd) => {
    try {
      return /socket:\[(\d+)\]/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? '';
    } catch {
      return '';
    }
  });
}

function postmasterPid(): number | undefined {
  try {
    return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}

/** One client, connected as soon as the broadcaster accepts, subscribed to a simulated contract's
 * ticks; resolves at the first tick it receives. */
async function firstTick(): Promise<void> {
  let socket: WebSocket | undefined;
  await until('WebSocket open', async () => {
    const attempt = new WebSocket(`ws://127.0.0.1:${ports.ws}`);
    const open = await new Promise<boolean>((resolve) => {
      attempt.once('open', () => resolve(true));
      attempt.once('error', () => resolve(false));
    });
    if (open) socket = attempt;
    return open;
  });
  const client = socket as WebSocket;
  let ticked = false;
  // binaryType is ws's default 'nodebuffer': every message arrives as one Buffer.
  client.on('message', (data) => {
    if ((JSON.parse((data as Buffer).toString('utf8')) as { type?: string }).type === 'ticks') ticked = true;
  });
  client.send(JSON.stringify({ type: 'subscribe', channel: 'ticks', contract_id: 'SIM.MES' }));
  await until('first tick', () => ticked);
  client.close();
}

function stats(label: string, ms: number[], target: string): void {
  const sorted = [...ms].sort((a, b) => a - b);
  figure(`${label} p50 / max (${ms.length})`, `${percentile(sorted, 50).toFixed(0)} / ${(sorted.at(-1) ?? NaN).toFixed(0)}`, 'ms', target);
}

const output: string[] = [];
const started = performance.now();
const supervisor: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/start.ts')], {
  cwd: ROOT,
  env,
  stdio: ['ignore', 'pipe', 'pipe'],
});
// Each line with the milliseconds since spawn, for RECOVERY_LOG (where the time went).
const collect = (d: Buffer): void => {
  const at = (performance.now() - started).toFixed(0).padStart(7);
  output.push(
    ...d
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => `${at} ${l}`),
  );
};
supervisor.stdout?.on('data', collect);
supervisor.stderr?.on('data', collect);

try {
  printMachine(`bench:recovery — npm start from a fresh data dir, ${KILLS} kill -9 per process`, 'embedded PostgreSQL (fresh data dir)');
  console.log(
    `(load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})`,
  );
  await until('database ready', () => output.some((l) => l.includes('database ready')));
  const dbReady = performance.now() - started;
  await until('services healthy', allHealthy);
  const servicesUp = performance.now() - started;
  await firstTick();
  const tickAt = performance.now() - started;
  await until('web app', async () => (await fetch(`http://127.0.0.1:${ports.web}/api/health`).catch(() => undefined))?.ok === true);
  const webAt = performance.now() - started;
  const built = output.some((l) => l.includes('building the web app'));
  figure('first start: embedded PostgreSQL ready (initdb)', dbReady, 'ms');
  figure('first start: every service /health ok', servicesUp, 'ms');
  figure('first start: first live tick at a WebSocket client', tickAt, 'ms', 'target ≤ 15 s');
  figure('first start: web app answering', webAt, 'ms', built ? 'includes a web build: it was stale' : 'web build was current');

  for (const [name, port] of Object.entries(services)) {
    const times: number[] = [];
    for (let i = 0; i < KILLS; i++) {
      const pid = pidOnPort(port);
      const killedAt = performance.now();
      process.kill(pid, 'SIGKILL');
      output.push(`${(killedAt - started).toFixed(0).padStart(7)} [bench] kill -9 ${name} (PID ${pid})`);
      await until(`${name} down`, async () => !(await healthy(port)));
      await until(`${name} healthy`, () => healthy(port));
      times.push(performance.now() - killedAt);
    }
    stats(`kill -9 ${name} → /health ok`, times, 'target < 5 s');
  }

  const pgTimes: number[] = [];
  for (let i = 0; i < KILLS; i++) {
    const pid = postmasterPid() as number;
    const killedAt = performance.now();
    process.kill(pid, 'SIGKILL');
    output.push(`${(killedAt - started).toFixed(0).padStart(7)} [bench] kill -9 postmaster (PID ${pid})`);
    await until('new postmaster', () => {
      const now = postmasterPid();
      return now !== undefined && now !== pid;
    });
    await until('services healthy after PostgreSQL restart', allHealthy);
    pgTimes.push(performance.now() - killedAt);
  }
  stats('kill -9 postmaster → every /health ok', pgTimes, 'target < 5 s');
  console.log(
    `(load average at end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})`,
  );
} finally {
  if (supervisor.exitCode === null) {
    const exited = new Promise((r) => supervisor.once('exit', r));
    supervisor.kill('SIGINT');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
  if (process.env.RECOVERY_LOG) writeFileSync(process.env.RECOVERY_LOG, `${output.join('\n')}\n`);
}
