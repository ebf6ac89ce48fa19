// The parent's handle on bench:fanout's client processes (bench/fanout-clients.ts): start N clients
// of a kind over some processes, start measuring, gather their tallies into one report.
import type { ChildProcess } from 'node:child_process';
import { child } from './fanout-harness.ts';
import type { ClientKind } from './fanout-load-client.ts';
import type { TallyReport } from './fanout-tally.ts';

export interface ClientReport {
  readonly received: number;
  readonly closed: number;
  /** Payload bytes of the measured messages. */
  readonly payloadBytes: number;
  /** Measured messages that came after a later-sent one on the same client (should be 0). */
  readonly outOfOrder: number;
  /** NOTIFY → client latency: bucket index (of bucketUs) → deliveries. */
  readonly histogram: Map<number, number>;
  readonly bucketUs: number;
  /** Index of the overflow bucket. */
  readonly lastBucket: number;
}

export class ClientWorkers {
  private constructor(private readonly workers: ChildProcess[]) {}

  static async start(
    url: string,
    clients: number,
    workers: number,
    contract: string,
    timeframe: string,
    kind: ClientKind,
  ): Promise<ClientWorkers> {
    const started: ChildProcess[] = [];
    for (let w = 0; w < workers; w++) {
      const n = Math.floor(clients / workers) + (w < clients % workers ? 1 : 0);
      started.push(
        child('bench/fanout-clients.ts', {
          FANOUT_URL: url,
          FANOUT_CLIENTS: String(n),
          FANOUT_CONTRACT: contract,
          FANOUT_TIMEFRAME: timeframe,
          FANOUT_CLIENT_KIND: kind,
        }),
      );
    }
    await Promise.all(
      started.map(
        (p) =>
          new Promise<void>((resolve, reject) => {
            p.once('message', () => resolve());
            p.once('exit', (code) => reject(new Error(`client worker exited ${code}`)));
          }),
      ),
    );
    return new ClientWorkers(started);
  }

  get pids(): number[] {
    return this.workers.map((w) => w.pid as number);
  }

  /** Counts, from now on, the messages sent at or after `from` (monotonic µs). */
  async measure(from: number): Promise<void> {
    await Promise.all(this.workers.map((w) => new Promise<void>((resolve) => w.send({ type: 'measure', from }, () => resolve()))));
  }

  /** Messages counted so far since measure(), without stopping the count. */
  async count(): Promise<number> {
    const counts = await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<number>((resolve) => {
            w.once('message', (m: { received: number }) => resolve(m.received));
            w.send({ type: 'count' });
          }),
      ),
    );
    return counts.reduce((s, n) => s + n, 0);
  }

  async report(): Promise<ClientReport> {
    const reports = await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<TallyReport & { closed: number }>((resolve) => {
            w.once('message', (m) => resolve(m as never));
            w.send({ type: 'report' });
          }),
      ),
    );
    const histogram = new Map<number, number>();
    for (const r of reports) for (const [b, n] of r.buckets) histogram.set(b, (histogram.get(b) ?? 0) + n);
    const sum = (field: 'received' | 'closed' | 'payloadBytes' | 'outOfOrder'): number => reports.reduce((s, r) => s + r[field], 0);
    return {
      received: sum('received'),
      closed: sum('closed'),
      payloadBytes: sum('payloadBytes'),
      outOfOrder: sum('outOfOrder'),
      histogram,
      bucketUs: reports[0]?.bucketUs ?? 50,
      lastBucket: reports[0]?.lastBucket ?? Infinity,
    };
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.workers.map(async (w) => {
        const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
        w.send({ type: 'exit' });
        await exited;
      }),
    );
  }
}

/** The p-th percentile of a bucketed latency histogram, in ms (bucket upper bound); Infinity when
 * it falls in the last bucket (slower than the histogram reaches: printed as a bound, see fanout-report). */
export function histogramPercentile(report: ClientReport, p: number): number {
  const total = [...report.histogram.values()].reduce((s, n) => s + n, 0);
  const rank = Math.ceil((p / 100) * total);
  let seen = 0;
  for (const b of [...report.histogram.keys()].sort((x, y) => x - y)) {
    seen += report.histogram.get(b) ?? 0;
    if (seen >= rank) return b === report.lastBucket ? Infinity : ((b + 1) * report.bucketUs) / 1000;
  }
  return NaN;
}
