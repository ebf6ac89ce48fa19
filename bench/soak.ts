// Soak benchmark: the whole system as `npm start` runs it (scripts/start.ts: embedded PostgreSQL,
// ingester, analyzer, broadcaster, web) on its own ports and data dir, the simulator at a high rate,
// every service's memory sampled over time. Shows that memory is bounded by design, not by rate.
//
//   npm run bench:soak [-- --minutes 10 --rate 2000 --every 10]
//   (env SOAK_MINUTES, SOAK_TICKS_PER_SECOND, SOAK_SAMPLE_SECONDS do the same)
//
// Ports come from the usual env variables (EMBEDDED_PG_PORT, WEB_PORT, ...) when set, free ones
// otherwise; the database lives in a fresh temporary directory, removed at the end.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { webBuildIsStale } from '../scripts/lib/web-build.ts';
import { freePort } from '../tests/support/free-port.ts';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const MB = 1024 * 1024;
/** The ingester's target at 2,000 ticks/s (the Trust issue). */
const INGESTER_TARGET_MB = 250;
/** Measured with this bench on the code before the simulator stopped keeping trades (commit 4a71137):
 * 2 minutes at 2,000 ticks/s, samples every 5 s, load average 15 on 2 cores. The ingester ran out of
 * its 160 MB heap again and again and was restarted by the supervisor. */
const BASELINE =
  'before (4a71137): ingester crash loop at 2,000 ticks/s, 8 ingester processes in 2 min, max RSS 265 MB, no ticks stored between restarts';

const SERVICES = ['ingester', 'analyzer', 'broadcaster', 'web', 'postgres'] as const;
type Service = (typeof SERVICES)[number];

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: process.env.SOAK_MINUTES ?? '10' },
    rate: { type: 'string', default: process.env.SOAK_TICKS_PER_SECOND ?? '2000' },
    every: { type: 'string', default: process.env.SOAK_SAMPLE_SECONDS ?? '10' },
  },
});
const minutes = Number(args.minutes);
const rate = Number(args.rate);
const everySeconds = Number(args.every);
if (!(minutes > 0) || !(rate > 0) || !(everySeconds > 0)) throw new RangeError('--minutes, --rate and --every must be positive numbers');

interface Proc {
  pid: number;
  ppid: number;
  cmd: string;
  rssBytes: number;
}

function processes(): Map<number, Proc> {
  const out = new Map<number, Proc>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const rssPages = Number(readFileSync(`/proc/${name}/statm`, 'utf8').split(' ')[1]);
      out.set(Number(name), { pid: Number(name), ppid: Number(fields[1]), cmd, rssBytes: rssPages * 4096 });
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/** Proportional set size: shared pages split among the processes sharing them (PostgreSQL's
 * shared buffers would otherwise count once per backend). */
function pssBytes(pid: number): number {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function descendants(root: number, all: Map<number, Proc>): Proc[] {
  const children = new Map<number, Proc[]>();
  for (const p of all.values()) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: Proc[] = [];
  const stack = [root];
  while (stack.length > 0) {
    for (const child of children.get(stack.pop() as number) ?? []) {
      out.push(child);
      stack.push(child.pid);
    }
  }
  return out;
}

/** A service runs from its bundle (`dist/NAME/main.js`, what npm start runs) or from its sources (tsx). */
function runs(cmd: string, service: string): boolean {
  return cmd.includes(`dist/${service}/main.js`) || cmd.includes(`${service}/src/main.ts`);
}

function serviceOf(cmd: string): Service | undefined {
  if (runs(cmd, 'ingester')) return 'ingester';
  if (runs(cmd, 'analyzer')) return 'analyzer';
  if (runs(cmd, 'broadcaster')) return 'broadcaster';
  if ((cmd.includes('next') && cmd.includes(' start')) || cmd.startsWith('next-server')) return 'web';
  if (/(^|\/)postgres( |:)/.test(cmd)) return 'postgres';
  return undefined;
}

interface Sample {
  at: number;
  mb: Record<Service, number>;
  ingesterPid: number | undefined;
  ticksWritten: number | undefined;
}

/** Memory per service: RSS for the Node services (each one process), PSS summed over PostgreSQL's processes. */
function sample(root: number, startedAt: number): Sample {
  const mb = Object.fromEntries(SERVICES.map((s) => [s, 0])) as Record<Service, number>;
  let ingesterPid: number | undefined;
  for (const p of descendants(root, processes())) {
    const service = serviceOf(p.cmd);
    if (!service) continue;
    if (service === 'ingester') ingesterPid = p.pid;
    mb[service] += (service === 'postgres' ? pssBytes(p.pid) : p.rssBytes) / MB;
  }
  return { at: (Date.now() - startedAt) / 1000, mb, ingesterPid, ticksWritten: undefined };
}

async function ticksWritten(metricsPort: number): Promise<number | undefined> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { signal: AbortSignal.timeout(2_000) })).text();
    const match = /^ingester_ticks_written_total(?:\{[^}]*\})? (\S+)$/m.exec(text);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function envPort(name: string): Promise<number> {
  const configured = Number(process.env[name]);
  return configured > 0 ? Promise.resolve(configured) : freePort();
}

async function main(): Promise<void> {
  const ports = {
    EMBEDDED_PG_PORT: await envPort('EMBEDDED_PG_PORT'),
    WEB_PORT: await envPort('WEB_PORT'),
    WEBSOCKET_PORT: await envPort('WEBSOCKET_PORT'),
    INGESTER_METRICS_PORT: await envPort('INGESTER_METRICS_PORT'),
    ANALYZER_METRICS_PORT: await envPort('ANALYZER_METRICS_PORT'),
    BROADCASTER_METRICS_PORT: await envPort('BROADCASTER_METRICS_PORT'),
  };
  if (webBuildIsStale(ROOT)) {
    // npm start would build it first: done here, before the clock starts, so the soak measures services.
    console.log('building the web app first (its build is older than its sources)…');
    const build = spawn('npm', ['run', 'build:web'], { cwd: ROOT, stdio: 'ignore' });
    const code = await new Promise<number | null>((r) => build.once('exit', r));
    if (code !== 0) throw new Error(`npm run build:web failed (exit ${code})`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'barstream-soak-'));
  const cpu = cpus();
  const loadBefore = loadavg();
  console.log('# soak: the whole system (npm start) with the simulator at a high rate');
  console.log(
    `machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  );
  console.log(`load average before: ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
  console.log(
    `run: ${minutes} min at SIM_TICKS_PER_SECOND=${rate}, sampled every ${everySeconds} s; ports ${JSON.stringify(ports)}; data ${dataDir}`,
  );
  console.log('memory: RSS of each Node service; PostgreSQL: PSS summed over its processes (shared buffers counted once)');

  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/start.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      BARSTREAM_DATA_DIR: dataDir,
      SIM_TICKS_PER_SECOND: String(rate),
      INGEST_PROVIDER: 'simulated',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    },
  });
  const logTail: string[] = [];
  const keep = (chunk: Buffer): void => {
    for (const line of String(chunk).split('\n')) if (line.trim() !== '') logTail.push(line);
    logTail.splice(0, Math.max(0, logTail.length - 40));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });

  const startedAt = Date.now();
  const samples: Sample[] = [];
  const pids = new Set<number>();
  console.log(`\n${'t (s)'.padStart(6)} ${SERVICES.map((s) => `${s} MB`.padStart(15)).join('')} ${'ticks/s stored'.padStart(16)}`);
  let previous: Sample | undefined;
  try {
    while (Date.now() - startedAt < minutes * 60_000 && !exited) {
      await new Promise((r) => setTimeout(r, everySeconds * 1_000));
      const s = sample(child.pid as number, startedAt);
      s.ticksWritten = await ticksWritten(ports.INGESTER_METRICS_PORT);
      if (s.ingesterPid !== undefined) pids.add(s.ingesterPid);
      samples.push(s);
      const stored =
        previous?.ticksWritten !== undefined && s.ticksWritten !== undefined && previous.ingesterPid === s.ingesterPid
          ? ((s.ticksWritten - previous.ticksWritten) / (s.at - previous.at)).toFixed(0)
          : '-';
      console.log(
        `${s.at.toFixed(0).padStart(6)} ${SERVICES.map((svc) => s.mb[svc].toFixed(0).padStart(15)).join('')} ${stored.padStart(16)}`,
      );
      previous = s;
    }
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => (exited ? r(undefined) : child.once('exit', r)));
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (exited && samples.length === 0) {
    console.log(logTail.join('\n'));
    throw new Error('npm start exited before the first sample');
  }
  const max = Object.fromEntries(SERVICES.map((s) => [s, Math.max(...samples.map((x) => x.mb[s]))])) as Record<Service, number>;
  console.log('\nmax over the run:');
  for (const s of SERVICES)
    console.log(`  ${s.padEnd(12)} ${max[s].toFixed(0).padStart(6)} MB${s === 'ingester' ? `   (target ≤ ${INGESTER_TARGET_MB} MB)` : ''}`);
  const last = samples[samples.length - 1];
  const first = samples.find((x) => x.ticksWritten !== undefined && x.ingesterPid === last?.ingesterPid);
  if (first && last && first !== last && first.ticksWritten !== undefined && last.ticksWritten !== undefined) {
    console.log(
      `ticks stored: ${((last.ticksWritten - first.ticksWritten) / (last.at - first.at)).toFixed(0)}/s on average from ${first.at.toFixed(0)} s to ${last.at.toFixed(0)} s`,
    );
  }
  console.log(`ingester processes seen: ${pids.size} (more than 1: it was restarted)`);
  console.log(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(`baseline: ${BASELINE}`);
  console.log(
    `result: ingester max RSS ${max.ingester.toFixed(0)} MB ${max.ingester <= INGESTER_TARGET_MB && pids.size === 1 ? 'within' : 'NOT within'} the ${INGESTER_TARGET_MB} MB target${pids.size > 1 ? ' (restarted)' : ''}`,
  );
}

await main();
