// bench:ingest with BENCH_PROVIDER=<venue>: the flood served as the venue's JSON frames and parsed by its
// provider's real parser, each simulated run beside one wire run per transport, the order rotating; the medians
// and spreads of rate and of the pipeline's CPU per tick (all threads, main thread) compare. Two transports:
//   - pipe: the frames' text down the simulated side's own pipe (bench/lib/length-prefixed-frames.ts), each
//     read's frames parsed and handed on together as the simulated side hands on each read's: the difference is
//     the frames' text and the parser alone, what issue #17's budget names (the figure it is judged on);
//   - websocket: the frames over a WebSocket as a venue sends them (bench/ingest-wire/wire-frame-server.ts), read
//     as the providers read them: the parser and the WebSocket transport with its read pattern, printed beside.
// Two simulated sides: the first (the one `first` is) sends trades without ids, as the #19 figures and ProjectX do;
// the second, "simulated with ids", sends each trade with the id the simulated provider gives it
// (`${contract}-${minute}-${i}`, simulated-market.ts), stored like any id. A venue's trades carry ids, so against
// the first the wire side's figure is "parse + carry and store ids" against "no ids", against the second it is the
// parse against a provider that carries ids too. Both are printed, each labelled.
import type { LoadGeneratorOptions } from './ingest-load-generator.ts';
import type { IngestRunResult } from './ingest-pipeline-process.ts';
import { median, spread } from './lib/median.ts';
import { figure } from './lib/report.ts';

export type WireTransport = 'pipe' | 'websocket';
export const WIRE_TRANSPORTS: readonly WireTransport[] = ['pipe', 'websocket'];

export interface WirePairsOptions {
  /** The venue (BENCH_PROVIDER). */
  readonly provider: string;
  readonly pairs: number;
  readonly parseInWorker: boolean;
  /** The transports run beside each simulated run, in this order in the first pair. */
  readonly transports: readonly WireTransport[];
  readonly flood: LoadGeneratorOptions;
  /** The simulated run already made: the first pair's. */
  readonly first: IngestRunResult;
  readonly reset: () => Promise<void>;
  readonly run: (gen: LoadGeneratorOptions) => Promise<IngestRunResult>;
}

const TITLES: Record<WireTransport, string> = {
  pipe: "down the simulated side's pipe (the parser alone: the budget's figure)",
  websocket: 'over a WebSocket (parser + WebSocket transport)',
};

/** The same flood as `first`'s, served as the venue's wire frames over each transport and parsed by its
 * provider's parser, beside simulated runs (`pairs` rounds, `first` the first simulated one); the order of a
 * round's runs reverses round by round, so a drift in the machine's load falls on every side. */
export async function wirePairs(o: WirePairsOptions): Promise<void> {
  const { provider: BENCH_PROVIDER, first, flood } = o;
  type Side = 'simulated' | 'simulated-ids' | WireTransport;
  const run = async (side: Side): Promise<IngestRunResult> => {
    await o.reset();
    if (side === 'simulated') return o.run(flood);
    if (side === 'simulated-ids') return o.run({ ...flood, ids: true });
    return o.run({ ...flood, wire: BENCH_PROVIDER, transport: side });
  };
  const results: Record<Side, IngestRunResult[]> = { simulated: [], 'simulated-ids': [], pipe: [], websocket: [] };
  const order: Side[] = ['simulated', 'simulated-ids', ...o.transports];
  for (let round = 0; round < o.pairs; round++) {
    const sides = round % 2 === 0 ? order : [...order].reverse();
    for (const side of sides) {
      if (round === 0 && side === 'simulated') results.simulated.push(first);
      else results[side].push(await run(side));
    }
  }
  const simulated = results.simulated;
  const rate = (r: IngestRunResult): number => r.ticks / r.seconds;
  const cpu = (r: IngestRunResult): number => (r.nodeCpuMs * 1000) / r.ticks;
  const mainCpu = (r: IngestRunResult): number => (r.mainThreadCpuMs * 1000) / r.ticks;
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
  const barsPer1000 = (r: IngestRunResult): number => (1000 * r.barsWritten) / r.ticks;
  const notifiesPer1000 = (r: IngestRunResult): number => (1000 * r.notifies) / r.ticks;
  const perHandOn = (r: IngestRunResult): number => r.ticks / r.handOns;
  const perFlush = (r: IngestRunResult): number => r.ticks / r.flushes;
  // What the GC did per 10,000 ticks (bench/lib/gc-tally.ts): ids or trades a flush holds across its await
  // survive scavenges and are promoted (venue9, venue10).
  const scavengesPer10k = (r: IngestRunResult): number => (10_000 * r.gc.scavenges) / r.ticks;
  const promotedPer10k = (r: IngestRunResult): number => (10_000 * r.gc.promotedBytes) / 1024 / r.ticks;
  const gcPausePerTick = (r: IngestRunResult): number => (1000 * r.gc.pauseMs) / r.ticks;
  const markCompactsPer10k = (r: IngestRunResult): number => (10_000 * r.gc.markCompacts) / r.ticks;
  // Straight into the old generation (pretenured objects, large objects, code): what its marking is for when
  // scavenges promote nothing (venue11).
  const oldAllocatedPer10k = (r: IngestRunResult): number => (10_000 * r.gc.oldAllocatedBytes) / 1024 / r.ticks;
  const largePer10k = (r: IngestRunResult): number => (10_000 * r.gc.largeObjectBytes) / 1024 / r.ticks;
  const codePer10k = (r: IngestRunResult): number => (10_000 * (r.gc.oldAllocatedBySpace?.code_space ?? 0)) / 1024 / r.ticks;
  const gcSeries = (name: string, runs: readonly IngestRunResult[]): void => {
    series(`scavenges per 10,000 ticks, ${name}`, runs, scavengesPer10k, '', 2);
    series(`KB promoted by scavenges per 10,000 ticks, ${name}`, runs, promotedPer10k, 'KB', 0);
    series(`GC pause per tick, ${name}`, runs, gcPausePerTick, 'µs/tick', 2);
    series(`mark-compacts per 10,000 ticks, ${name}`, runs, markCompactsPer10k, '', 2);
    series(`KB allocated in the old generation per 10,000 ticks, ${name}`, runs, oldAllocatedPer10k, 'KB', 0);
    series(`  of it large objects, ${name}`, runs, largePer10k, 'KB', 0);
    series(`  of it compiled code (code space), ${name}`, runs, codePer10k, 'KB', 0);
    // Which thread the CPU is on (a thread started during the window counts from 0).
    const names = [...new Set(runs.flatMap((r) => Object.keys(r.threadCpuMsByName ?? {})))].sort();
    for (const thread of names) {
      series(
        `  CPU per tick on '${thread}' threads, ${name}`,
        runs,
        (r) => (1000 * (r.threadCpuMsByName?.[thread] ?? 0)) / r.ticks,
        'µs/tick',
        2,
      );
    }
  };
  console.log(`\n### simulated provider: ${simulated.length} runs, interleaved with the wire runs below`);
  const simulatedRate = series('ingest, simulated provider', simulated, rate, 'ticks/s', 0);
  const simulatedCpu = series('Node CPU per tick, simulated (all threads)', simulated, cpu, 'µs/tick', 2);
  const simulatedMain = series('main-thread CPU per tick, simulated', simulated, mainCpu, 'µs/tick', 2);
  series('bar upserts per 1,000 ticks, simulated', simulated, barsPer1000, '', 1);
  series('NOTIFYs per 1,000 ticks, simulated', simulated, notifiesPer1000, '', 2);
  series('ticks per provider hand-on, simulated', simulated, perHandOn, '', 0);
  series('ticks per flush, simulated', simulated, perFlush, '', 0);
  gcSeries('simulated', simulated);
  const withIds = results['simulated-ids'];
  console.log(`\n### simulated provider with its trade ids: ${withIds.length} runs, interleaved with the others`);
  const withIdsRate = series('ingest, simulated with ids', withIds, rate, 'ticks/s', 0);
  const withIdsCpu = series('Node CPU per tick, simulated with ids (all threads)', withIds, cpu, 'µs/tick', 2);
  const withIdsMain = series('main-thread CPU per tick, simulated with ids', withIds, mainCpu, 'µs/tick', 2);
  series('ticks per flush, simulated with ids', withIds, perFlush, '', 0);
  gcSeries('simulated with ids', withIds);
  for (const transport of o.transports) {
    const wire = results[transport];
    const where = transport === 'websocket' && o.parseInWorker ? ', parsed on a worker thread' : '';
    const name = `${BENCH_PROVIDER} ${transport}`;
    console.log(`\n### ${BENCH_PROVIDER} frames ${TITLES[transport]}${where}: ${wire.length} runs`);
    const wireRate = series(`ingest, ${name}`, wire, rate, 'ticks/s', 0);
    const cuts = wire.map((w, k) => (100 * (rate(w) - rate(simulated[k] as IngestRunResult))) / rate(simulated[k] as IngestRunResult));
    figure(
      `  ${name} vs simulated (medians)`,
      (100 * (wireRate - simulatedRate)) / simulatedRate,
      '%',
      `${transport === 'pipe' ? 'budget: no worse than -10%' : 'beside the budget'}; simulated side without ids; pairs: median ${median(cuts).toFixed(1)} %, ${spread(cuts, 1)}`,
    );
    const idCuts = wire.map((w, k) => (100 * (rate(w) - rate(withIds[k] as IngestRunResult))) / rate(withIds[k] as IngestRunResult));
    figure(
      `  ${name} vs simulated with ids (medians)`,
      (100 * (wireRate - withIdsRate)) / withIdsRate,
      '%',
      `both sides' trades carry ids; pairs: median ${median(idCuts).toFixed(1)} %, ${spread(idCuts, 1)}`,
    );
    const wireCpu = series(`Node CPU per tick, ${name} (all threads)`, wire, cpu, 'µs/tick', 2);
    figure(`  CPU added per tick by ${name} (all threads, medians)`, wireCpu - simulatedCpu, 'µs/tick');
    figure(`  CPU added per tick by ${name} against simulated with ids (all threads, medians)`, wireCpu - withIdsCpu, 'µs/tick');
    const wireMain = series(`main-thread CPU per tick, ${name}`, wire, mainCpu, 'µs/tick', 2);
    figure(`  main-thread CPU added per tick by ${name} (medians)`, wireMain - simulatedMain, 'µs/tick');
    figure(`  main-thread CPU added per tick by ${name} against simulated with ids (medians)`, wireMain - withIdsMain, 'µs/tick');
    // How the flood was cut into hand-ons and flushes: more, smaller flushes cost more bar upserts and NOTIFYs
    // per tick, on both the pipeline's thread and PostgreSQL's (venue8).
    series(`bar upserts per 1,000 ticks, ${name}`, wire, barsPer1000, '', 1);
    series(`NOTIFYs per 1,000 ticks, ${name}`, wire, notifiesPer1000, '', 2);
    series(`ticks per provider hand-on, ${name}`, wire, perHandOn, '', 0);
    series(`ticks per flush, ${name}`, wire, perFlush, '', 0);
    gcSeries(name, wire);
  }
}
