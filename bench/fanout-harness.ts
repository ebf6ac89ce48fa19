// Pieces of bench:fanout: the broadcaster in its own process, client worker processes, a paced
// NOTIFY source, and per-process CPU/RSS from /proc.
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { monotonicMicros } from './fanout-tally.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Linux reports process CPU time in clock ticks of 1/100 s (CLK_TCK). */
const CLK_TCK = 100;

export interface Child {
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** BENCH_CPU_PROF=<dir>: each child writes a V8 CPU profile there on exit. */
const PROFILE = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];

export function child(script: string, env: Record<string, string>): ChildProcess {
  return fork(script, [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx', ...PROFILE],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

export async function stopChild(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
  p.kill('SIGTERM');
  const timer = setTimeout(() => p.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} did not come up within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `kind` barstream: broadcaster/src/main.ts as deployed; baseline: bench/fanout-baseline.ts. */
export async function startBroadcaster(
  kind: 'barstream' | 'baseline',
  databaseUrl: string,
  wsPort: number,
  metricsPort: number,
): Promise<Child> {
  // BENCH_BROADCASTER_SCRIPT: another build of the broadcaster (a copy of an older broadcaster/src
  // under the repository, for interleaved before/after runs on the same machine minutes).
  const script = kind === 'barstream' ? (process.env.BENCH_BROADCASTER_SCRIPT ?? 'broadcaster/src/main.ts') : 'bench/fanout-baseline.ts';
  const p = child(script, {
    DATABASE_URL: databaseUrl,
    WEBSOCKET_PORT: String(wsPort),
    BROADCASTER_METRICS_PORT: String(metricsPort),
    LOG_LEVEL: 'warn',
  });
  if (kind === 'barstream') {
    // /health is up before the WebSocket port: wait for the plain-HTTP answer of the latter too.
    await waitFor(
      'broadcaster',
      async () => (await httpGet(metricsPort, '/health')).status === 200 && (await httpGet(wsPort, '/')).status === 426,
    );
  } else {
    await new Promise<void>((resolve, reject) => {
      p.once('message', () => resolve());
      p.once('exit', (code) => reject(new Error(`baseline exited ${code}`)));
    });
  }
  return { process: p, stop: () => stopChild(p) };
}

export { monotonicMicros } from './fanout-tally.ts';

/** Realistic payloads for one contract: tick batches of 5 trades and forming 1m bars, alternating;
 * `sent_at` (monotonic µs) is appended last at send time. */
export function payloadMaker(contract: string): () => { channel: string; payload: string } {
  let n = 0;
  let price = 5000;
  return () => {
    n++;
    price += ((n * 7919) % 9) * 0.25 - 1;
    const now = Date.now();
    const sentAt = monotonicMicros();
    if (n % 2 === 0) {
      const ticks = Array.from(
        { length: 5 },
        (_, i) =>
          `{"timestamp":"${new Date(now - 5 + i).toISOString().replace('Z', '123Z')}","price":${price + i * 0.25},"volume":${1 + (i % 3)},"side":"${i % 2 ? 'sell' : 'buy'}"}`,
      );
      return {
        channel: 'tick_data_channel',
        payload: `{"type":"ticks","contract_id":"${contract}","ticks":[${ticks.join(',')}],"sent_at":${sentAt}}`,
      };
    }
    const start = new Date(Math.floor(now / 60_000) * 60_000).toISOString();
    return {
      channel: 'ohlc_update',
      payload: `{"type":"ohlc","contract_id":"${contract}","timestamp":"${start}","open":${price},"high":${price + 2},"low":${price - 2},"close":${price + 0.5},"volume":${100 + n},"timeframe_unit":2,"timeframe_value":1,"is_closed":false,"sent_at":${sentAt}}`,
    };
  };
}

/** pg_notify at `rate` per second for `seconds`, paced by the clock (several per statement when behind). */
export async function notifySource(
  client: pg.Client,
  make: () => { channel: string; payload: string },
  rate: number,
  seconds: number,
): Promise<number> {
  const started = performance.now();
  const total = Math.round(rate * seconds);
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
    const batch = Math.min(50, due - sent);
    if (batch > 0) {
      const params: string[] = [];
      const calls: string[] = [];
      for (let i = 0; i < batch; i++) {
        const { channel, payload } = make();
        params.push(channel, payload);
        calls.push(`pg_notify($${params.length - 1}, $${params.length})`);
      }
      await client.query(`SELECT ${calls.join(', ')}`, params);
      sent += batch;
    }
    const nextAt = started + (sent / rate) * 1000;
    const wait = nextAt - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  return sent;
}

/** Busy and total CPU seconds of the whole machine so far (all cores, /proc/stat). */
export function machineCpuSeconds(): { busy: number; total: number } {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((s, n) => s + n, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
}

/** On a shared machine: waits (up to `maxWaitMs`) until it is under `maxBusy` of its CPU for 2 s,
 * so a stage does not start in the middle of someone else's build. Returns whether it was. */
export async function quietMachine(maxBusy = 0.25, maxWaitMs = 120_000): Promise<boolean> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const a = machineCpuSeconds();
    await new Promise((r) => setTimeout(r, 2_000));
    const b = machineCpuSeconds();
    if ((b.busy - a.busy) / (b.total - a.total) < maxBusy) return true;
    if (Date.now() > deadline) return false;
  }
}

/** User + system CPU seconds of a process so far. */
export function cpuSeconds(pid: number): number {
  const { user, system } = cpuSplit(pid);
  return user + system;
}

/** User and system CPU seconds of a process so far: system is mostly the kernel's socket work. */
export function cpuSplit(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / CLK_TCK, system: Number(fields[12]) / CLK_TCK };
}

/** Write system calls a process made so far (write, writev, …: /proc/PID/io syscw). */
export function writeSyscalls(pid: number): number {
  return Number(/^syscw: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? Number.NaN);
}

/** Resident and peak resident memory of a process, MB. */
export function memoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** Sum of a Prometheus counter's samples (all label sets) from a /metrics page. */
export async function scrapeCounter(metricsPort: number, name: string): Promise<number> {
  const { text } = await httpGet(metricsPort, '/metrics');
  let sum = 0;
  for (const line of text.split('\n'))
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}

/** One GET on a fresh connection (fetch's pooled keep-alive connections race the server's idle timeout). */
export function httpGet(port: number, path: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        text += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    }).on('error', reject);
  });
}
