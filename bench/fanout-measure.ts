// One measured step of bench:fanout: warm up, then the NOTIFY source process sends at a rate while
// the client processes count arrivals; per-process CPU from /proc, never the whole machine's.
import { type ClientWorkers, histogramPercentile } from './fanout-client-workers.ts';
import { cpuSeconds, cpuSplit, memoryMb, monotonicMicros, scrapeCounter, writeSyscalls } from './fanout-harness.ts';
import type { NotifySourceProcess } from './fanout-source-process.ts';

const WARMUP_SECONDS = 1;
/** After the source stops: time for the last messages to reach every client. */
const DRAIN_MS = 1_500;

/** A step in which no measured message reached a client: nothing to take a latency from. */
export class NothingDelivered extends Error {
  readonly code = 'NOTHING_DELIVERED';
}

export interface Server {
  readonly label: string;
  readonly pid: number;
  /** barstream's /metrics port (ticks dropped); undefined for the baseline, which never drops. */
  readonly metricsPort?: number;
}

export interface StepResult {
  readonly clients: number;
  readonly rate: number;
  readonly offeredPerSecond: number;
  readonly deliveriesPerSecond: number;
  /** Delivered share of what was offered (sent × clients). */
  readonly delivered: number;
  /** ms; Infinity when beyond the clients' histogram (5 s). */
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  /** The server process's CPU over the step and its drain, in cores of the sending time. */
  readonly serverCores: number;
  readonly serverMicrosPerDelivery: number;
  /** The user-space (JavaScript, libuv) part of it; the rest is the kernel's. */
  readonly serverUserMicrosPerDelivery: number;
  /** The server's write system calls per delivery: below 1 when messages share a client's write. */
  readonly serverWritesPerDelivery: number;
  readonly clientCores: number;
  readonly clientMicrosPerDelivery: number;
  readonly sourceCores: number;
  readonly dropped: number;
  readonly closed: number;
  /** Messages a client got after one sent later (0 unless the order broke). */
  readonly outOfOrder: number;
  readonly rssMb: number;
}

export async function measureStep(
  server: Server,
  clients: ClientWorkers,
  clientCount: number,
  source: NotifySourceProcess,
  rate: number,
  seconds: number,
): Promise<StepResult> {
  await source.run(rate, WARMUP_SECONDS);
  await new Promise((r) => setTimeout(r, 300));
  await clients.measure(monotonicMicros());
  const dropped0 = server.metricsPort ? await scrapeCounter(server.metricsPort, 'broadcaster_dropped_total') : 0;
  const clientCpu = (): number => clients.pids.reduce((s, p) => s + cpuSeconds(p), 0);
  const server0 = cpuSplit(server.pid);
  const writes0 = writeSyscalls(server.pid);
  const clients0 = clientCpu();
  const source0 = cpuSeconds(source.pid);
  const t0 = performance.now();
  const sent = await source.run(rate, seconds);
  const elapsed = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, DRAIN_MS));
  const server1 = cpuSplit(server.pid);
  const serverUser = server1.user - server0.user;
  const serverCpu = serverUser + server1.system - server0.system;
  const serverWrites = writeSyscalls(server.pid) - writes0;
  const clientSeconds = clientCpu() - clients0;
  const clientCores = clientSeconds / elapsed;
  const sourceCores = (cpuSeconds(source.pid) - source0) / elapsed;
  const report = await clients.report();
  const dropped = server.metricsPort ? (await scrapeCounter(server.metricsPort, 'broadcaster_dropped_total')) - dropped0 : 0;
  if (report.received === 0) {
    throw new NothingDelivered(
      `${server.label} @ ${rate} msg/s × ${clientCount} clients: no message sent in the ${seconds} s reached a client ` +
        `within ${DRAIN_MS} ms after (${sent} NOTIFYs sent; ${report.closed} clients closed): nothing to measure`,
    );
  }
  return {
    clients: clientCount,
    rate,
    offeredPerSecond: (sent * clientCount) / elapsed,
    deliveriesPerSecond: report.received / elapsed,
    delivered: report.received / (sent * clientCount),
    p50: histogramPercentile(report, 50),
    p95: histogramPercentile(report, 95),
    p99: histogramPercentile(report, 99),
    serverCores: serverCpu / elapsed,
    serverMicrosPerDelivery: (serverCpu / report.received) * 1e6,
    serverUserMicrosPerDelivery: (serverUser / report.received) * 1e6,
    serverWritesPerDelivery: serverWrites / report.received,
    clientCores,
    clientMicrosPerDelivery: (clientSeconds / report.received) * 1e6,
    sourceCores,
    dropped,
    closed: report.closed,
    outOfOrder: report.outOfOrder,
    rssMb: memoryMb(server.pid).rss,
  };
}
