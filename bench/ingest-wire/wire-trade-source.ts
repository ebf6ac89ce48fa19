// The provider's side of a bench:ingest wire run: a WebSocket client (the `ws` library, as FeedSocket
// opens it) connected to the load generator's WireFrameServer, each frame's bytes taken as the
// providers take them (rawBytes, a read's frames together: ReadFrameQueue) and parsed by the venue's parser, on the pipeline's thread (the trades of one
// socket read handed on together through the providers' TradeBatchingSink, as the Coinbase and Alpaca
// streams do) or (`inWorker`) on a worker thread of its own that hands them over in batches
// (wire-parse-worker.ts, messages in wire-worker-protocol.ts).
import { appendFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import WebSocket from 'ws';
import type { Trade, TradeSide } from '../../core/src/index.ts';
import { rawBytes } from '../../ingester/src/providers/feed-socket.ts';
import { ReadFrameQueue } from '../../ingester/src/providers/read-frame-queue.ts';
import { TradeBatchingSink } from '../../ingester/src/providers/trade-batching-sink.ts';
import { allThreadsCpu, type ThreadCpu } from '../lib/thread-cpu.ts';
import { wireFormatOf } from './registry.ts';
import {
  SIDES,
  VALUES_PER_TRADE,
  type WorkerBatch,
  type WorkerControl,
  type WorkerSetup,
  workerMessageSchema,
} from './wire-worker-protocol.ts';

export interface WireTradeSource {
  /** Resolves once the server closed the connection and every trade was handed on. */
  readonly ended: Promise<void>;
  /** Stops reading the socket (the pipeline is behind), as a provider's socket would be back-pressured. */
  pause(): void;
  resume(): void;
  /** With a parse worker: its Linux thread id (once it said hello), its CPU in all and batches (once it ended). */
  readonly worker?: WorkerFacts;
}

export interface WorkerFacts {
  tid?: number;
  endCpuMs?: number;
  batches?: number;
  frames?: number;
}

export interface WireTradeSourceOptions {
  readonly url: string;
  /** BENCH_PROVIDER: the venue whose frames arrive. */
  readonly provider: string;
  readonly contracts: readonly string[];
  readonly inWorker: boolean;
  readonly onTrades: (trades: readonly Trade[]) => void;
  /** With inWorker: write a V8 CPU profile of the worker into this directory. */
  readonly workerProfileDir?: string;
}

export function openWireTradeSource(options: WireTradeSourceOptions): WireTradeSource {
  return options.inWorker ? inWorker(options) : onThisThread(options);
}

function onThisThread(options: WireTradeSourceOptions): WireTradeSource {
  const wire = wireFormatOf(options.provider)?.(options.contracts);
  if (!wire) throw new Error(`BENCH_PROVIDER '${options.provider}' has no wire format`);
  const unexpected = (what: string) => () => {
    throw new Error(`wire run: ${what}`);
  };
  let failure: unknown;
  const sink = new TradeBatchingSink(
    {
      onTrades: options.onTrades,
      onQuote: unexpected('a quote'),
      onRejected: unexpected('a rejected frame'),
      onConnectionChange: unexpected('a connection change'),
    },
    (error) => (failure ??= error),
  );
  // As FeedSocket opens it: no permessage-deflate offer.
  const ws = new WebSocket(options.url, { perMessageDeflate: false });
  // BENCH_WIRE_TRADE_IDS=0, a diagnostic: the venue's trade ids parsed, then dropped before the pipeline, which
  // stores no id for a simulated trade: the difference is what carrying the ids costs the pipeline, not the parser.
  const dropIds = process.env.BENCH_WIRE_TRADE_IDS === '0';
  // As FeedSocket takes them: a read's frames parsed together once ws has read them all.
  const frames = new ReadFrameQueue((data, isBinary) => {
    if (isBinary) throw new Error('wire run: a binary frame on a JSON feed');
    const trades = wire.parseFrame(rawBytes(data));
    if (dropIds) for (const t of trades) (t as { tradeId?: string }).tradeId = undefined;
    sink.onTrades(trades);
  });
  ws.on('message', (data, isBinary) => frames.push(data, isBinary));
  const ended = new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.once('close', () => {
      sink.flush();
      if (failure === undefined) resolve();
      else reject(failure instanceof Error ? failure : new Error('wire run: the sink failed'));
    });
  });
  return { ended, pause: () => ws.pause(), resume: () => ws.resume() };
}

/** Node 20 starts a worker without the parent's tsx loader: the worker registers it, then loads its module. */
const WORKER_BOOT = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(
  new URL('./wire-parse-worker.ts', import.meta.url).href,
)}); });`;

/** A batch's columns → the trades the pipeline takes. */
function tradesOf(batch: WorkerBatch, contracts: readonly string[]): Trade[] {
  const values = new Float64Array(batch.values);
  const trades = new Array<Trade>(batch.tradeIds.length);
  for (let k = 0, o = 0; k < trades.length; k++, o += VALUES_PER_TRADE) {
    const contractId = contracts[values[o] as number];
    const side = SIDES[values[o + 4] as number];
    if (contractId === undefined || side === undefined) throw new Error(`wire parse worker: trade ${k} of a batch has no contract or side`);
    const trade: { -readonly [K in keyof Trade]: Trade[K] } = {
      contractId,
      time: values[o + 1] as number,
      price: values[o + 2] as number,
      volume: values[o + 3] as number,
      side: side satisfies TradeSide,
    };
    const tradeId = batch.tradeIds[k];
    if (tradeId !== null && tradeId !== undefined) trade.tradeId = tradeId;
    trades[k] = trade;
  }
  return trades;
}

function inWorker(options: WireTradeSourceOptions): WireTradeSource {
  const setup: WorkerSetup = {
    url: options.url,
    provider: options.provider,
    contracts: [...options.contracts],
    ...(options.workerProfileDir === undefined ? {} : { profileDir: options.workerProfileDir }),
  };
  const worker = new Worker(WORKER_BOOT, { eval: true, workerData: setup });
  const facts: WorkerFacts = {};
  let tradesSeen = 0;
  let threadsAtFirst: ThreadCpu[] = [];
  let failure: Error | undefined;
  worker.on('message', (raw: unknown) => {
    const parsed = workerMessageSchema.safeParse(raw);
    if (!parsed.success) {
      failure ??= new Error(`wire parse worker: a malformed message: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
      return void worker.terminate();
    }
    const message = parsed.data;
    if (message.kind === 'hello') facts.tid = message.tid;
    else if (message.kind === 'end') {
      Object.assign(facts, { endCpuMs: message.cpuMs, batches: message.batches, frames: message.frames });
      // BENCH_WORKER_STATS=file: one JSON line per run, for looking into a bench:ingest run's worker: its
      // batches, and each thread's CPU since the first batch (tid as an offset from the pid: 0 the main thread).
      const statsFile = process.env.BENCH_WORKER_STATS;
      if (statsFile) {
        const before = new Map(threadsAtFirst.map((t) => [t.tid, t.cpuMs]));
        const spent = allThreadsCpu().map((t) => ({ tid: t.tid - process.pid, ms: Math.round(t.cpuMs - (before.get(t.tid) ?? 0)) }));
        appendFileSync(
          statsFile,
          `${JSON.stringify({ ...facts, trades: tradesSeen, threadMsSinceFirstBatch: spent.filter((t) => t.ms > 0) })}\n`,
        );
      }
    } else {
      if (tradesSeen === 0 && process.env.BENCH_WORKER_STATS) threadsAtFirst = allThreadsCpu();
      const trades = tradesOf(message, options.contracts);
      tradesSeen += trades.length;
      options.onTrades(trades);
    }
  });
  const ended = new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) =>
      failure ? reject(failure) : code === 0 ? resolve() : reject(new Error(`wire parse worker exited with ${code}`)),
    );
  });
  const control = (message: WorkerControl): void => worker.postMessage(message);
  return { ended, pause: () => control('pause'), resume: () => control('resume'), worker: facts };
}
