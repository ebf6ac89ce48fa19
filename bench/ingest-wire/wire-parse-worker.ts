// A worker thread owning the venue's WebSocket in a bench:ingest wire run (--parse-in-worker): it parses
// each frame with the venue's parser and posts the trades in compact batches (a transferred Float64Array
// of contract index, time, price, size, side per trade, and their trade ids), so the pipeline's thread
// only turns a batch into trades: what an ingester with its feed parsed off the main thread would do.
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import type { Trade } from '../../core/src/index.ts';
import { rawText } from '../../ingester/src/providers/feed-socket.ts';
import { wireFormatOf } from './registry.ts';

export interface WorkerSetup {
  readonly url: string;
  readonly provider: string;
  readonly contracts: readonly string[];
}

export interface WorkerBatch {
  /** 5 numbers per trade: contract index, time, price, volume, side (0 buy, 1 sell, 2 unknown). */
  readonly values: ArrayBuffer;
  readonly tradeIds: readonly (string | null)[];
}

export type WorkerControl = 'pause' | 'resume';

/** Trades per batch at most; a batch also goes when the frames that arrived together are parsed. */
const MAX_BATCH = 2_000;
const SIDE_CODES = { buy: 0, sell: 1, unknown: 2 } as const;

const port = parentPort;
if (!port) throw new Error('wire-parse-worker.ts runs as a worker thread');
const setup = workerData as WorkerSetup;
const wire = wireFormatOf(setup.provider)?.(setup.contracts);
if (!wire) throw new Error(`BENCH_PROVIDER '${setup.provider}' has no wire format`);
const indexOf = new Map(setup.contracts.map((c, i) => [c, i]));

let pending: Trade[] = [];
let scheduled = false;

function flush(): void {
  scheduled = false;
  if (pending.length === 0) return;
  const values = new Float64Array(pending.length * 5);
  const tradeIds = new Array<string | null>(pending.length);
  for (let k = 0, o = 0; k < pending.length; k++, o += 5) {
    const t = pending[k] as Trade;
    const index = indexOf.get(t.contractId);
    if (index === undefined) throw new Error(`wire run: a trade of ${t.contractId}, not a bench contract`);
    values[o] = index;
    values[o + 1] = t.time;
    values[o + 2] = t.price;
    values[o + 3] = t.volume;
    values[o + 4] = SIDE_CODES[t.side];
    tradeIds[k] = t.tradeId ?? null;
  }
  pending = [];
  const batch: WorkerBatch = { values: values.buffer, tradeIds };
  port?.postMessage(batch, [values.buffer]);
}

const ws = new WebSocket(setup.url);
ws.on('message', (data, isBinary) => {
  if (isBinary) throw new Error('wire run: a binary frame on a JSON feed');
  for (const t of wire.parseFrame(rawText(data))) pending.push(t);
  if (pending.length >= MAX_BATCH) flush();
  else if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
});
ws.once('close', () => {
  flush();
  port.close();
});
port.on('message', (message: WorkerControl) => (message === 'pause' ? ws.pause() : ws.resume()));
