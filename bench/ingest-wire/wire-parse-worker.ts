// A worker thread owning the venue's WebSocket in a bench:ingest wire run (--parse-in-worker): it parses
// each frame with the venue's parser and writes the trades straight into reused columns (contract index,
// time, price, size, side as float64; trade ids beside), posted as one batch per turn of its event loop
// (every frame that one socket read brought), so the pipeline's thread only turns a batch into trades:
// what an ingester with its feed parsed off the main thread would do.
import { mkdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import { rawBytes } from '../../ingester/src/providers/feed-socket.ts';
import { currentThreadCpuMs } from '../lib/thread-cpu.ts';
import { tradeIdText } from '../../core/src/index.ts';
import { wireFormatOf } from './registry.ts';
import {
  MAX_BATCH_TRADES,
  SIDE_CODES,
  VALUES_PER_TRADE,
  WIRE_WORKER_PROTOCOL,
  type WorkerBatch,
  type WorkerSetup,
  workerControlSchema,
  workerSetupSchema,
} from './wire-worker-protocol.ts';

const port = parentPort;
if (!port) throw new Error('wire-parse-worker.ts runs as a worker thread');
const setup: WorkerSetup = workerSetupSchema.parse(workerData);
const wire = wireFormatOf(setup.provider)?.(setup.contracts);
if (!wire) throw new Error(`BENCH_PROVIDER '${setup.provider}' has no wire format`);
const indexOf = new Map(setup.contracts.map((c, i) => [c, i]));

/** The columns of the batch being filled: reused, a batch posts a copy of the filled part. */
const values = new Float64Array(MAX_BATCH_TRADES * VALUES_PER_TRADE);
let tradeIds: (string | null)[] = [];
let count = 0;
let scheduled = false;
let batches = 0;
let frames = 0;

function flush(): void {
  scheduled = false;
  if (count === 0) return;
  // slice copies the filled part into a buffer of its own, which is then transferred, not copied again.
  const filled = values.slice(0, count * VALUES_PER_TRADE);
  const batch: WorkerBatch = { kind: 'trades', version: WIRE_WORKER_PROTOCOL, values: filled.buffer, tradeIds };
  port?.postMessage(batch, [filled.buffer]);
  tradeIds = [];
  count = 0;
  batches++;
}

function onFrame(bytes: Buffer): void {
  for (const t of wire?.parseFrame(bytes) ?? []) {
    const index = indexOf.get(t.contractId);
    if (index === undefined) throw new Error(`wire run: a trade of ${t.contractId}, not a bench contract`);
    const o = count * VALUES_PER_TRADE;
    values[o] = index;
    values[o + 1] = t.time;
    values[o + 2] = t.price;
    values[o + 3] = t.volume;
    values[o + 4] = SIDE_CODES[t.side];
    tradeIds.push(tradeIdText(t.tradeId) ?? null);
    if (++count === MAX_BATCH_TRADES) flush();
  }
  if (count > 0 && !scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
}

// BENCH_WORKER_PROF=dir: a V8 CPU profile of this thread from the socket's opening to its close
// (--cpu-prof does not follow a worker that its parent ends by closing its port).
const profiler = setup.profileDir === undefined ? undefined : new Session();
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}

async function end(): Promise<void> {
  flush();
  if (profiler && setup.profileDir !== undefined) {
    const { profile } = await profiler.post('Profiler.stop');
    mkdirSync(setup.profileDir, { recursive: true });
    writeFileSync(join(setup.profileDir, `wire-parse-worker-${process.pid}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
  }
  port?.postMessage({ kind: 'end', version: WIRE_WORKER_PROTOCOL, cpuMs: currentThreadCpuMs(), batches, frames });
  port?.close();
}

// /proc/thread-self links to /proc/<pid>/task/<tid>: the bench reads this thread's CPU there.
port.postMessage({ kind: 'hello', version: WIRE_WORKER_PROTOCOL, tid: Number(readlinkSync('/proc/thread-self').split('/').at(-1)) });
const ws = new WebSocket(setup.url);
ws.on('message', (data, isBinary) => {
  if (isBinary) throw new Error('wire run: a binary frame on a JSON feed');
  frames++;
  onFrame(rawBytes(data));
});
ws.once('close', () => void end());
port.on('message', (message: unknown) => (workerControlSchema.parse(message) === 'pause' ? ws.pause() : ws.resume()));
