// npm run bench:fanout — one NOTIFY → N WebSocket clients. Three kinds of process besides this one:
// the broadcaster as deployed (broadcaster/src/main.ts), real `ws` clients in worker processes, and
// the NOTIFY source (pg_notify at a paced rate); CPU is each process's own, from /proc.
// Stages: RSS per idle client; p50/p95/p99 at 1,000 clients × 200 msg/s; the knee by stepped rates;
// cost growth at 100/1,000/3,000 clients; the origin's design (per-client JSON serialization, a
// stand-in in Node) at the same clients and rate; ingester → client end to end.
// Env: BENCH_CLIENTS, BENCH_CLIENT_PROCESSES, BENCH_SECONDS (main stage), BENCH_STEP_SECONDS (each
// knee/growth step), BENCH_KNEE_RATES, BENCH_GROWTH_CLIENTS, BENCH_COMPARE_RATE (growth and
// baseline), BENCH_QUIET_WAIT_S (per stage), BENCH_CPU_PROF=<dir> (V8 profiles of the children),
// BENCH_STAGES (a comma list of main, knee, growth, idle, baseline, e2e; default all; idle: RSS per idle
// client at each BENCH_GROWTH_CLIENTS count, a fresh broadcaster each), BENCH_CLIENT_KIND (raw, the default, or ws), BENCH_MAIN_RUNS
// (the main stage this many times in a row on the same clients: before/after comparisons).
// BENCH_BROADCASTER_SCRIPT (another copy of broadcaster/src/main.ts: interleaved A/B).
import { freePort } from '../tests/e2e/full-stack.ts';
import { endToEnd } from './fanout-e2e.ts';
import { ClientWorkers } from './fanout-client-workers.ts';
import { machineCpuSeconds, memoryMb, quietMachine, startBroadcaster } from './fanout-harness.ts';
import { CLIENT_KINDS, type ClientKind } from './fanout-load-client.ts';
import { measureStep, NothingDelivered, type Server, type StepResult } from './fanout-measure.ts';
import { growthLine, pastKnee, printStep } from './fanout-report.ts';
import { NotifySourceProcess } from './fanout-source-process.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { figure, printLoad, printMachine } from './lib/report.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1_000);
const CLIENT_KIND = (process.env.BENCH_CLIENT_KIND ?? 'raw') as ClientKind;
if (!CLIENT_KINDS.includes(CLIENT_KIND)) throw new Error(`BENCH_CLIENT_KIND: "${CLIENT_KIND}" is not one of ${CLIENT_KINDS.join(', ')}`);
// One process of raw clients takes a fraction of a core; ws clients need two to keep up at 200/s.
const WORKERS = Number(process.env.BENCH_CLIENT_PROCESSES ?? (CLIENT_KIND === 'raw' ? 1 : 2));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 4);
const MAIN_RATE = 200;
const KNEE_RATES = (process.env.BENCH_KNEE_RATES ?? '200,300,400,500,600,800,1000').split(',').map(Number);
const GROWTH_CLIENTS = (process.env.BENCH_GROWTH_CLIENTS ?? '100,1000,3000').split(',').map(Number);
const COMPARE_RATE = Number(process.env.BENCH_COMPARE_RATE ?? 50);
const E2E_RATE = 2_000;
const STAGE_NAMES = ['main', 'knee', 'growth', 'idle', 'baseline', 'e2e'] as const;
const STAGES = new Set((process.env.BENCH_STAGES ?? STAGE_NAMES.join(',')).split(',').map((s) => s.trim()));
for (const stage of STAGES)
  if (!(STAGE_NAMES as readonly string[]).includes(stage))
    throw new Error(`BENCH_STAGES: unknown stage "${stage}"; expected some of ${STAGE_NAMES.join(', ')}`);
const MAIN_RUNS = Number(process.env.BENCH_MAIN_RUNS ?? 1);
const CONTRACT = 'BENCH.A';
const QUIET_WAIT_MS = Number(process.env.BENCH_QUIET_WAIT_S ?? 60) * 1000;
/** Time for a process's memory to settle after clients connect (handshake buffers released). */
const SETTLE_MS = 2_000;

async function quiet(stage: string): Promise<void> {
  if (!(await quietMachine(0.25, QUIET_WAIT_MS)))
    console.log(`(the machine stayed busy for ${QUIET_WAIT_MS / 1000} s: measuring ${stage} anyway)`);
}

const clientsUrl = (port: number): string => `ws://127.0.0.1:${port}`;

/** Broadcaster RSS before and after `n` idle clients (connected and subscribed, no traffic). */
async function idleClients(
  server: Server,
  wsPort: number,
  n: number,
): Promise<{ clients: ClientWorkers; perClientKb: number; before: number; after: number }> {
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const before = memoryMb(server.pid).rss;
  const clients = await ClientWorkers.start(clientsUrl(wsPort), n, WORKERS, CONTRACT, '1m', CLIENT_KIND);
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const after = memoryMb(server.pid).rss;
  return { clients, perClientKb: ((after - before) * 1024) / n, before, after };
}

async function withServer<T>(kind: 'barstream' | 'baseline', url: string, use: (server: Server, wsPort: number) => Promise<T>): Promise<T> {
  const wsPort = await freePort();
  const metricsPort = await freePort();
  const child = await startBroadcaster(kind, url, wsPort, metricsPort);
  const server: Server = {
    label: kind === 'barstream' ? 'barstream' : 'origin design (baseline)',
    pid: child.process.pid as number,
    metricsPort: kind === 'barstream' ? metricsPort : undefined,
  };
  try {
    return await use(server, wsPort);
  } finally {
    await child.stop();
  }
}

/** Steps up the rate until latency turns up (see pastKnee); the knee is the last step before. */
async function findKnee(server: Server, clients: ClientWorkers): Promise<{ deliveriesPerSecond: number; why: string }> {
  let first: StepResult | undefined;
  let last: StepResult | undefined;
  for (const rate of KNEE_RATES) {
    let step: StepResult;
    try {
      step = await measureStep(server, clients, CLIENTS, source, rate, STEP_SECONDS);
    } catch (err) {
      if (!(err instanceof NothingDelivered)) throw err;
      return {
        deliveriesPerSecond: last?.deliveriesPerSecond ?? 0,
        why: `${last ? 'the last step before' : 'below the first step'}: ${err.message}`,
      };
    }
    printStep(`${server.label} knee step`, step);
    first ??= step;
    const past = pastKnee(first, step);
    if (past)
      return last
        ? { deliveriesPerSecond: last.deliveriesPerSecond, why: `the last step before ${rate}/s, where ${past}` }
        : { deliveriesPerSecond: 0, why: `below the first step: at ${rate}/s ${past}` };
    last = step;
  }
  return { deliveriesPerSecond: last?.deliveriesPerSecond ?? 0, why: 'not reached: every step kept up, the knee is above the highest' };
}

/** A stage that delivered nothing fails the run (exit code 1) with its message; the others still run. */
async function orFail(step: Promise<StepResult>): Promise<StepResult | undefined> {
  try {
    return await step;
  } catch (err) {
    if (!(err instanceof NothingDelivered)) throw err;
    console.error(`ERROR: ${err.message}`);
    process.exitCode = 1;
    return undefined;
  }
}

function printIdle(label: string, idle: { perClientKb: number; before: number; after: number }, n = CLIENTS): void {
  const rss = `${n.toLocaleString('en-US')} subscribed, no traffic: RSS ${idle.before.toFixed(0)} → ${idle.after.toFixed(0)} MB`;
  // RSS also moves with garbage collection: with few clients the delta can be below the noise.
  if (idle.perClientKb <= 0)
    figure(`${label}: RSS per idle client`, 'not measurable', '', `${rss}; the heap shrank meanwhile: use more clients`);
  else figure(`${label}: RSS per idle client`, idle.perClientKb, 'KB', rss);
}

const db = await benchDatabase();
const source = await NotifySourceProcess.start(db.url, CONTRACT);
try {
  printMachine('bench:fanout', db.label);
  printLoad('before');
  console.log(
    `setup: ${CLIENT_KIND === 'raw' ? 'raw-socket WebSocket clients (bench/fanout-raw-client.ts)' : 'ws clients'} in ${WORKERS} process(es), each subscribed to ${CONTRACT} bars 1m + ticks; the NOTIFY source in its own ` +
      `process; payloads alternate a 5-trade tick batch and a forming 1m bar; latency = pg_notify call → client (CLOCK_MONOTONIC)`,
  );
  const ours = await withServer('barstream', db.url, async (server, wsPort) => {
    await quiet('idle clients');
    const idle = await idleClients(server, wsPort, CLIENTS);
    printIdle('barstream', idle);
    let knee: { deliveriesPerSecond: number; why: string } | undefined;
    try {
      for (let run = 1; STAGES.has('main') && run <= MAIN_RUNS; run++) {
        await quiet('the main rate');
        const main = await orFail(measureStep(server, idle.clients, CLIENTS, source, MAIN_RATE, SECONDS));
        if (main) printStep(MAIN_RUNS > 1 ? `${server.label} (run ${run})` : server.label, main, 'target p99 ≤ 25 ms');
      }
      if (STAGES.has('knee')) {
        await quiet('the knee');
        knee = await findKnee(server, idle.clients);
      }
    } finally {
      await idle.clients.stop();
    }
    if (knee) figure('barstream: knee', knee.deliveriesPerSecond, 'deliveries/s', `${knee.why}; target ≥ 500,000/s`);
    const growth: StepResult[] = [];
    if (STAGES.has('growth')) await quiet('cost growth');
    for (const n of STAGES.has('growth') ? GROWTH_CLIENTS : []) {
      const clients = await ClientWorkers.start(clientsUrl(wsPort), n, WORKERS, CONTRACT, '1m', CLIENT_KIND);
      try {
        const step = await orFail(measureStep(server, clients, n, source, COMPARE_RATE, STEP_SECONDS));
        if (step) growth.push(step);
        if (step) printStep(`${server.label} growth`, step);
      } finally {
        await clients.stop();
      }
    }
    if (STAGES.has('growth')) console.log(growthLine(growth));
    figure('barstream: peak RSS (VmHWM)', memoryMb(server.pid).peak, 'MB', 'over all stages');
    return growth.find((g) => g.clients === CLIENTS);
  });
  if (STAGES.has('idle')) await idleGrowth();
  const base = !STAGES.has('baseline')
    ? undefined
    : await withServer('baseline', db.url, async (server, wsPort) => {
        await quiet('the baseline');
        const idle = await idleClients(server, wsPort, CLIENTS);
        printIdle(server.label, idle);
        try {
          const step = await orFail(measureStep(server, idle.clients, CLIENTS, source, COMPARE_RATE, SECONDS));
          if (step) printStep(server.label, step, 'a Node stand-in for the origin: JSON.stringify per client, no backpressure');
          return step;
        } finally {
          await idle.clients.stop();
        }
      });
  if (ours && base)
    figure(
      `broadcaster CPU per delivery @ ${CLIENTS} × ${COMPARE_RATE}/s`,
      `${ours.serverMicrosPerDelivery.toFixed(2)} vs ${base.serverMicrosPerDelivery.toFixed(2)}`,
      'µs',
      `barstream vs baseline: ${(base.serverMicrosPerDelivery / ours.serverMicrosPerDelivery).toFixed(1)}×`,
    );
  if (STAGES.has('e2e')) await endToEndStage();
  printLoad('after');
} catch (err) {
  console.error('bench failed:', err);
  process.exitCode = 1;
} finally {
  await source.stop();
  await db.stop();
}

/** RSS per idle client at each of GROWTH_CLIENTS, each in a fresh broadcaster: what earlier stages
 * left in the heap would blur a delta of 100 clients. */
async function idleGrowth(): Promise<void> {
  const perClient: string[] = [];
  for (const n of GROWTH_CLIENTS) {
    await withServer('barstream', db.url, async (server, wsPort) => {
      await quiet(`${n} idle clients`);
      const idle = await idleClients(server, wsPort, n);
      await idle.clients.stop();
      printIdle(`barstream @ ${n.toLocaleString('en-US')} clients`, idle, n);
      perClient.push(
        `${n.toLocaleString('en-US')}: ${idle.perClientKb.toFixed(1)} KB (process ${idle.before.toFixed(0)} → ${idle.after.toFixed(0)} MB)`,
      );
    });
  }
  console.log(`RSS per idle client by clients: ${perClient.join(', ')}`);
}

async function endToEndStage(): Promise<void> {
  await quiet('end to end');
  const e2eMachine0 = machineCpuSeconds();
  const e2e = await endToEnd(db.url, E2E_RATE, SECONDS);
  const e2eMachine1 = machineCpuSeconds();
  figure(
    'end to end @ 2,000 ticks/s: ticks measured',
    e2e.ticks,
    'ticks',
    'ingester IngestPipeline (this process) → PostgreSQL → broadcaster process → ws client',
  );
  figure('end to end: tick received by ingester → client p50', e2e.p50, 'ms', 'target ≤ 5 ms');
  figure('end to end: tick received by ingester → client p99', e2e.p99, 'ms', 'target ≤ 25 ms');
  const cores = (e2eMachine1.busy - e2eMachine0.busy) / (e2eMachine1.total - e2eMachine0.total);
  figure('end to end: machine CPU busy', cores * 100, '% of the machine', "everything, other engineers' processes included");
}
