// bench:ingest with BENCH_PROVIDER=<venue>: the flood served as the venue's JSON frames over a WebSocket
// and parsed by its provider's real parser, paired with simulated-provider runs; the medians and
// spreads of rate and of the pipeline's CPU per tick (all threads, main thread) compare.
import type { LoadGeneratorOptions } from './ingest-load-generator.ts';
import type { IngestRunResult } from './ingest-pipeline-process.ts';
import { median, spread } from './lib/median.ts';
import { figure } from './lib/report.ts';

export interface WirePairsOptions {
  /** The venue (BENCH_PROVIDER). */
  readonly provider: string;
  readonly pairs: number;
  readonly parseInWorker: boolean;
  readonly flood: LoadGeneratorOptions;
  /** The simulated run already made: the first pair's. */
  readonly first: IngestRunResult;
  readonly reset: () => Promise<void>;
  readonly run: (gen: LoadGeneratorOptions) => Promise<IngestRunResult>;
}

/** The same flood as `first`'s, served as the venue's wire frames over a WebSocket and parsed by its provider's
 * parser, paired with simulated runs (`pairs` pairs, `first` the first simulated one); which of a pair runs
 * first alternates, so a drift in the machine's load falls on both sides. Medians and spreads compare. */
export async function wirePairs(o: WirePairsOptions): Promise<void> {
  const { provider: BENCH_PROVIDER, first, flood } = o;
  const run = async (wire: boolean): Promise<IngestRunResult> => {
    await o.reset();
    return o.run(wire ? { ...flood, wire: BENCH_PROVIDER } : flood);
  };
  const simulated: IngestRunResult[] = [];
  const wire: IngestRunResult[] = [];
  for (let pair = 0; pair < o.pairs; pair++) {
    if (pair === 0) {
      simulated.push(first);
      wire.push(await run(true));
    } else if (pair % 2 === 1) {
      wire.push(await run(true));
      simulated.push(await run(false));
    } else {
      simulated.push(await run(false));
      wire.push(await run(true));
    }
  }
  const rate = (r: IngestRunResult): number => r.ticks / r.seconds;
  const cpu = (r: IngestRunResult): number => (r.nodeCpuMs * 1000) / r.ticks;
  const mainCpu = (r: IngestRunResult): number => (r.mainThreadCpuMs * 1000) / r.ticks;
  const where = o.parseInWorker ? 'parsed on a worker thread' : 'parsed on the pipeline thread';
  console.log(`\n### ${BENCH_PROVIDER} wire frames over a WebSocket, ${where}: ${o.pairs} pairs, order alternating`);
  const series = (
    name: string,
    runs: readonly IngestRunResult[],
    of: (r: IngestRunResult) => number,
    unit: string,
    digits: number,
  ): number => {
    const values = runs.map(of);
    const m = median(values);
    figure(name, m, unit, `median of ${values.length}; ${spread(values, digits)}`);
    return m;
  };
  const simulatedRate = series('ingest, simulated provider', simulated, rate, 'ticks/s', 0);
  const wireRate = series(`ingest, ${BENCH_PROVIDER} frames parsed in the loop`, wire, rate, 'ticks/s', 0);
  const cuts = wire.map((w, k) => (100 * (rate(w) - rate(simulated[k] as IngestRunResult))) / rate(simulated[k] as IngestRunResult));
  figure(
    `  ${BENCH_PROVIDER} vs simulated (medians)`,
    (100 * (wireRate - simulatedRate)) / simulatedRate,
    '%',
    `budget: no worse than -10%; pairs: median ${median(cuts).toFixed(1)} %, ${spread(cuts, 1)}`,
  );
  const simulatedCpu = series('Node CPU per tick, simulated (all threads)', simulated, cpu, 'µs/tick', 2);
  const wireCpu = series(`Node CPU per tick, ${BENCH_PROVIDER} (all threads)`, wire, cpu, 'µs/tick', 2);
  figure(`  CPU added per tick by ${BENCH_PROVIDER} (all threads, medians)`, wireCpu - simulatedCpu, 'µs/tick');
  const simulatedMain = series('main-thread CPU per tick, simulated', simulated, mainCpu, 'µs/tick', 2);
  const wireMain = series(`main-thread CPU per tick, ${BENCH_PROVIDER}`, wire, mainCpu, 'µs/tick', 2);
  figure(`  main-thread CPU added per tick by ${BENCH_PROVIDER} (medians)`, wireMain - simulatedMain, 'µs/tick');
  // How the flood was cut into flushes: a wire run hands the pipeline one socket read's trades at a time (a
  // 64 KB read: ~300–600 trades), the simulated pipe ~1,600; more flushes cost more bar upserts and NOTIFYs
  // per tick, on both the pipeline's thread and PostgreSQL's.
  const barsPer1000 = (r: IngestRunResult): number => (1000 * r.barsWritten) / r.ticks;
  const notifiesPer1000 = (r: IngestRunResult): number => (1000 * r.notifies) / r.ticks;
  series('bar upserts per 1,000 ticks, simulated', simulated, barsPer1000, '', 1);
  series(`bar upserts per 1,000 ticks, ${BENCH_PROVIDER}`, wire, barsPer1000, '', 1);
  series('NOTIFYs per 1,000 ticks, simulated', simulated, notifiesPer1000, '', 2);
  series(`NOTIFYs per 1,000 ticks, ${BENCH_PROVIDER}`, wire, notifiesPer1000, '', 2);
  const perHandOn = (r: IngestRunResult): number => r.ticks / r.handOns;
  const perFlush = (r: IngestRunResult): number => r.ticks / r.flushes;
  series('ticks per provider hand-on, simulated', simulated, perHandOn, '', 0);
  series(`ticks per provider hand-on, ${BENCH_PROVIDER}`, wire, perHandOn, '', 0);
  series('ticks per flush, simulated', simulated, perFlush, '', 0);
  series(`ticks per flush, ${BENCH_PROVIDER}`, wire, perFlush, '', 0);
}
