// npm run bench:wire-parse — what reading a venue's frames costs each thread, without the pipeline: the load
// generator serves BENCH_PROVIDER's frames over a WebSocket (as in bench:ingest), this process reads them as
// the pipeline process does (on its main thread, or --parse-in-worker on a worker thread) and only counts the
// trades. Prints CPU µs per trade of the main thread, the parse worker, the other threads (V8's background
// compiler and GC helpers) and the whole process, and the load generator's (the venue's side), per run and
// as medians, so a change to the read path shows where it moved the cost. Flags: --ticks N (default
// 50,000), --contracts 1,10, --runs R (default 5), --parse-in-worker; BENCH_WORKER_PROF=dir writes the
// worker's CPU profile. Runs after the first on the main thread reuse its compiled code, a worker starts
// cold each run: ~100 ms of compiling on V8's background threads, so --ticks 200000 for steady figures.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { LoadGeneratorOptions } from '../ingest-load-generator.ts';
import { benchContract } from '../lib/market-ticks.ts';
import { figure, percentile, printLoad, printMachine } from '../lib/report.ts';
import { allThreadsCpu, processCpuMs, type ThreadCpu } from '../lib/thread-cpu.ts';
import { wireFormatOf } from './registry.ts';
import { openWireTradeSource, type WireTradeSource } from './wire-trade-source.ts';

const { values: flags } = parseArgs({
  options: {
    ticks: { type: 'string', default: '50000' },
    contracts: { type: 'string', default: '1,10' },
    runs: { type: 'string', default: '5' },
    'parse-in-worker': { type: 'boolean', default: false },
  },
});
const TICKS = Number(flags.ticks);
const RUNS = Number(flags.runs);
const PROVIDER = process.env.BENCH_PROVIDER ?? 'coinbase';
if (!wireFormatOf(PROVIDER)) throw new Error('bench:wire-parse: BENCH_PROVIDER must name a venue, not simulated');
const IN_WORKER = flags['parse-in-worker'] ?? false;

interface RunCpu {
  readonly main: number;
  readonly worker: number;
  readonly others: number;
  readonly process: number;
  /** The load generator's process (the venue's side: rendering and sending the frames), µs per trade. */
  readonly generator: number;
  /** With a parse worker: trades per batch it posted. */
  readonly tradesPerBatch?: number;
}

/** CPU µs per trade of each group of threads between two snapshots (threads new since `from` count from zero). */
function cpuBetween(
  from: ThreadCpu[],
  to: ThreadCpu[],
  worker: WireTradeSource['worker'],
  processMs: number,
  generatorMs: number,
  trades: number,
): RunCpu {
  const before = new Map(from.map((t) => [t.tid, t.cpuMs]));
  const spent = { main: 0, worker: 0, others: 0 };
  for (const t of to) {
    const ms = t.cpuMs - (before.get(t.tid) ?? 0);
    if (t.tid === process.pid) spent.main += ms;
    else if (t.tid !== worker?.tid) spent.others += ms;
  }
  // The worker thread has ended by now: its CPU as it reported it last.
  if (worker?.tid !== undefined) spent.worker = (worker.endCpuMs ?? NaN) - (before.get(worker.tid) ?? NaN);
  const perTrade = (ms: number): number => (ms * 1000) / trades;
  return {
    main: perTrade(spent.main),
    worker: perTrade(spent.worker),
    others: perTrade(spent.others),
    process: perTrade(processMs),
    generator: perTrade(generatorMs),
  };
}

async function run(contracts: number): Promise<RunCpu> {
  const gen: LoadGeneratorOptions = { mode: 'flood', contracts, ticks: TICKS, meanGapMs: 200, wire: PROVIDER };
  const generator = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../ingest-load-generator.ts', import.meta.url))], {
    env: { ...process.env, BENCH_GEN: JSON.stringify(gen) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let head = '';
  while (!head.includes('\n')) head += String((await once(generator.stdout, 'data'))[0]);
  let counted = 0;
  let start: { threads: ThreadCpu[]; process: NodeJS.CpuUsage; counted: number } | undefined;
  let end: { threads: ThreadCpu[]; processMs: number; measured: number } | undefined;
  const generatorCpu = (): number => processCpuMs(generator.pid ?? 0);
  let generatorStart = 0;
  const source = openWireTradeSource({
    url: `ws://127.0.0.1:${head.slice(0, head.indexOf('\n'))}`,
    provider: PROVIDER,
    contracts: Array.from({ length: contracts }, (_, i) => benchContract(i)),
    inWorker: IN_WORKER,
    ...(process.env.BENCH_WORKER_PROF ? { workerProfileDir: process.env.BENCH_WORKER_PROF } : {}),
    onTrades(trades) {
      counted += trades.length;
      // The first batch starts the clock, as in the pipeline process; its own trades are not counted.
      if (!start) {
        start = { threads: allThreadsCpu(), process: process.cpuUsage(), counted };
        generatorStart = generatorCpu();
      } else if (counted >= TICKS && !end) {
        const cpu = process.cpuUsage(start.process);
        end = { threads: allThreadsCpu(), processMs: (cpu.user + cpu.system) / 1000, measured: counted - start.counted };
      }
    },
  });
  await source.ended;
  // The generator waits for the connection's close before it exits: its CPU is all but final here.
  const generatorMs = generatorCpu() - generatorStart;
  await once(generator, 'exit');
  if (!start || !end) throw new Error(`bench:wire-parse: ${counted} trades of ${TICKS} arrived`);
  const cpu = cpuBetween(start.threads, end.threads, source.worker, end.processMs, generatorMs, end.measured);
  const batches = source.worker?.batches;
  return batches ? { ...cpu, tradesPerBatch: counted / batches } : cpu;
}

printMachine(`bench:wire-parse — ${PROVIDER} frames read ${IN_WORKER ? 'on a worker thread' : 'on the main thread'}, ${TICKS} trades`);
printLoad('before');
for (const contracts of (flags.contracts ?? '1').split(',').map(Number)) {
  const runs: RunCpu[] = [];
  for (let r = 0; r < RUNS; r++) {
    const cpu = await run(contracts);
    runs.push(cpu);
    console.log(
      `  ${contracts} contract(s), run ${r + 1}: µs/trade main ${cpu.main.toFixed(2)}, worker ${cpu.worker.toFixed(2)}, others ${cpu.others.toFixed(2)}, process ${cpu.process.toFixed(2)}; generator ${cpu.generator.toFixed(2)}${
        cpu.tradesPerBatch === undefined ? '' : `; ${cpu.tradesPerBatch.toFixed(1)} trades a batch`
      }`,
    );
  }
  const median = (pick: (c: RunCpu) => number): number =>
    percentile(
      runs.map(pick).sort((a, b) => a - b),
      50,
    );
  console.log(`\n${contracts} contract(s), medians of ${RUNS}:`);
  figure('  main thread', median((c) => c.main).toFixed(2), 'µs/trade');
  figure('  parse worker', median((c) => c.worker).toFixed(2), 'µs/trade');
  figure('  other threads', median((c) => c.others).toFixed(2), 'µs/trade');
  figure('  process (all threads)', median((c) => c.process).toFixed(2), 'µs/trade');
  figure('  load generator (the venue)', median((c) => c.generator).toFixed(2), 'µs/trade');
  if (IN_WORKER) figure('  trades per batch from the worker', median((c) => c.tradesPerBatch ?? NaN).toFixed(1));
}
printLoad('after');
