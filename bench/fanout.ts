// npm run bench:fanout — one NOTIFY → N WebSocket clients. The broadcaster runs as deployed
// (broadcaster/src/main.ts, its own process); 1,000 real `ws` clients in two worker processes;
// pg_notify from a separate connection at 200 messages/s, then higher rates to find the ceiling;
// the origin's design (per-client JSON serialization) as baseline; and ingester → client end to end.
// Env: BENCH_CLIENTS, BENCH_CLIENT_PROCESSES, BENCH_SECONDS (per rate), BENCH_RATES (msg/s, comma-
// separated), BENCH_BASELINE_RATE (0 skips), BENCH_QUIET_WAIT_S (per stage, for a quiet machine),
// BENCH_CPU_PROF=<dir> (V8 profiles of the children).
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { freePort } from '../tests/e2e/full-stack.ts';
import { endToEnd } from './fanout-e2e.ts';
import {
  ClientWorkers,
  cpuSeconds,
  histogramPercentile,
  machineCpuSeconds,
  memoryMb,
  monotonicMicros,
  notifySource,
  payloadMaker,
  quietMachine,
  scrapeCounter,
  startBroadcaster,
} from './fanout-harness.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { figure, printMachine } from './lib/report.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1_000);
const WORKERS = Number(process.env.BENCH_CLIENT_PROCESSES ?? 2);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATES = (process.env.BENCH_RATES ?? '200,300,400,800').split(',').map(Number);
const BASELINE_RATE = Number(process.env.BENCH_BASELINE_RATE ?? 200);
const E2E_RATE = 2_000;
const CONTRACT = 'BENCH.A';
const WARMUP_SECONDS = 1;
/** Each stage first waits up to this long for other processes to leave the CPU (shared machine). */
const QUIET_WAIT_MS = Number(process.env.BENCH_QUIET_WAIT_S ?? 180) * 1000;
/** After the source stops: time for the last messages to reach every client. */
const DRAIN_MS = 1_500;

interface RateResult {
  readonly rate: number;
  readonly deliveriesPerSecond: number;
  readonly offeredPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly serverCpu: number;
  readonly clientCpu: number;
  /** Whole machine, in cores busy: shows what other processes took. */
  readonly machineBusy: number;
  readonly dropped: number;
  readonly closed: number;
  /** The broadcaster's resident memory after the rate ran, MB. */
  readonly rssMb: number;
}

async function runRates(
  kind: 'barstream' | 'baseline',
  url: string,
  rates: readonly number[],
): Promise<{ results: RateResult[]; peakRssMb: number }> {
  const wsPort = await freePort();
  const metricsPort = await freePort();
  const server = await startBroadcaster(kind, url, wsPort, metricsPort);
  const pid = server.process.pid as number;
  const clients = await ClientWorkers.start(`ws://127.0.0.1:${wsPort}`, CLIENTS, WORKERS, CONTRACT, '1m');
  const source = new pg.Client({ connectionString: url });
  await source.connect();
  const make = payloadMaker(CONTRACT);
  const results: RateResult[] = [];
  try {
    for (const rate of rates) {
      if (!(await quietMachine(0.25, QUIET_WAIT_MS)))
        console.log(`(the machine stayed busy for ${QUIET_WAIT_MS / 1000} s: measuring ${kind} @ ${rate} msg/s anyway)`);
      await notifySource(source, make, rate, WARMUP_SECONDS);
      await new Promise((r) => setTimeout(r, 300));
      await clients.measure(monotonicMicros());
      const droppedBefore = kind === 'barstream' ? await scrapeCounter(metricsPort, 'broadcaster_dropped_total') : 0;
      const cpu0 = cpuSeconds(pid);
      const clientCpu0 = clients.pids.reduce((s, p) => s + cpuSeconds(p), 0);
      const machine0 = machineCpuSeconds();
      const t0 = performance.now();
      const sent = await notifySource(source, make, rate, SECONDS);
      const elapsed = (performance.now() - t0) / 1000;
      const serverCpu = (cpuSeconds(pid) - cpu0) / elapsed;
      const clientCpu = (clients.pids.reduce((s, p) => s + cpuSeconds(p), 0) - clientCpu0) / elapsed;
      const machine1 = machineCpuSeconds();
      // As a share of the machine's clock ticks (more exact than per wall second), in cores.
      const machineBusy = ((machine1.busy - machine0.busy) / (machine1.total - machine0.total)) * cpus().length;
      await new Promise((r) => setTimeout(r, DRAIN_MS));
      const report = await clients.report();
      const dropped = kind === 'barstream' ? (await scrapeCounter(metricsPort, 'broadcaster_dropped_total')) - droppedBefore : 0;
      results.push({
        rate,
        deliveriesPerSecond: report.received / elapsed,
        offeredPerSecond: (sent * CLIENTS) / elapsed,
        p50: histogramPercentile(report, 50),
        p99: histogramPercentile(report, 99),
        serverCpu,
        clientCpu,
        machineBusy,
        dropped,
        closed: report.closed,
        rssMb: memoryMb(pid).rss,
      });
    }
    return { results, peakRssMb: memoryMb(pid).peak };
  } finally {
    await source.end();
    await clients.stop();
    await server.stop();
  }
}

/** Beyond the clients' histogram (5 s) a percentile is only a bound. */
function latency(ms: number): number | string {
  return Number.isFinite(ms) ? ms : '> 5,000';
}

function print(label: string, r: RateResult): void {
  const at = `${label} @ ${r.rate} msg/s`;
  figure(
    `${at}: deliveries/s`,
    r.deliveriesPerSecond,
    '/s',
    `offered ${Math.round(r.offeredPerSecond).toLocaleString('en-US')}/s; ticks dropped ${r.dropped}; clients closed ${r.closed}`,
  );
  figure(`${at}: NOTIFY → client p50`, latency(r.p50), 'ms');
  figure(`${at}: NOTIFY → client p99`, latency(r.p99), 'ms', 'target ≤ 50 ms');
  figure(`${at}: broadcaster CPU`, r.serverCpu * 100, '% of one core');
  figure(`${at}: broadcaster RSS`, r.rssMb, 'MB');
  figure(`${at}: client processes CPU`, r.clientCpu * 100, '% of one core', 'load generator on the same 2 cores');
  figure(
    `${at}: machine CPU busy`,
    r.machineBusy * 100,
    `% of one core (of ${cpus().length * 100})`,
    `other processes: ${Math.max(0, Math.round((r.machineBusy - r.serverCpu - r.clientCpu) * 100))}%, incl. PostgreSQL and the NOTIFY source`,
  );
}

const db = await benchDatabase();
try {
  printMachine('bench:fanout', db.label);
  console.log(
    `setup: ${CLIENTS.toLocaleString('en-US')} ws clients in ${WORKERS} processes, each subscribed to ${CONTRACT} bars 1m + ticks; ` +
      `payloads alternate a 5-trade tick batch and a forming 1m bar; ${SECONDS} s per rate after ${WARMUP_SECONDS} s warm-up`,
  );
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (other processes share these cores: see "machine CPU busy")`,
  );
  const ours = await runRates('barstream', db.url, RATES);
  for (const r of ours.results) print('barstream', r);
  figure(
    'barstream broadcaster peak RSS (VmHWM)',
    ours.peakRssMb,
    'MB',
    'over all rates: overloaded clients hold up to their backlog limit',
  );
  const base = BASELINE_RATE > 0 ? await runRates('baseline', db.url, [BASELINE_RATE]) : { results: [], peakRssMb: 0 };
  for (const r of base.results) print('origin design (baseline)', r);
  const same = ours.results.find((r) => r.rate === BASELINE_RATE);
  const baseline = base.results[0];
  if (same && baseline) {
    figure(
      `broadcaster CPU per delivery, barstream vs baseline`,
      `${((same.serverCpu / same.deliveriesPerSecond) * 1e6).toFixed(2)} vs ${((baseline.serverCpu / baseline.deliveriesPerSecond) * 1e6).toFixed(2)}`,
      'µs',
    );
  }
  if (!(await quietMachine(0.25, QUIET_WAIT_MS))) console.log('(the machine stayed busy: measuring end to end anyway)');
  const e2eMachine0 = machineCpuSeconds();
  const e2e = await endToEnd(db.url, E2E_RATE, SECONDS);
  const e2eMachine1 = machineCpuSeconds();
  figure(
    'end to end @ 2,000 ticks/s: ticks measured',
    e2e.ticks,
    'ticks',
    'ingester IngestPipeline → PostgreSQL → broadcaster process → ws client',
  );
  figure('end to end: tick received by ingester → client p50', e2e.p50, 'ms', 'target ≤ 5 ms');
  figure('end to end: tick received by ingester → client p99', e2e.p99, 'ms', 'target ≤ 25 ms');
  const cores = cpus().length;
  figure(
    'end to end: machine CPU busy',
    ((e2eMachine1.busy - e2eMachine0.busy) / (e2eMachine1.total - e2eMachine0.total)) * cores * 100,
    `% of one core (of ${cores * 100})`,
    'everything: ingester, PostgreSQL, broadcaster, client, other processes',
  );
} catch (err) {
  console.error('bench failed:', err);
  process.exitCode = 1;
} finally {
  await db.stop();
}
