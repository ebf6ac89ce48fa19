// node --import tsx bench/ingest-wire/wire-read-layers.ts — where a venue's frames cost the thread that reads
// them, layer by layer, in one process and without a socket or the pipeline: the bytes bench:ingest's frame
// server sends, cut into 64 KB reads (what a TCP socket hands Node), go through
//   - receive: ws's Receiver as the client's (frame headers, payload views, UTF-8 check, the 'message' event
//     re-emitted by the WebSocket as ws does), nothing done with the frame;
//   - receive, no UTF-8 check: the same with ws's skipUTF8Validation;
//   - UTF-8 check alone: node:buffer's isUtf8 of each payload, what ws checks a text frame with (what
//     skipUTF8Validation would save, without the Receiver's noise around it);
//   - parse alone: the provider's parser over the frames' bytes, no Receiver;
//   - receive + parse, frame by frame: ws's event straight to the parser (the providers' way before
//     ReadFrameQueue), the trades counted and dropped;
//   - receive + parse + sink: the providers' path and the wire run's (FeedSocket's ReadFrameQueue: a read's
//     frames parsed once ws has read them all; the providers' TradeBatchingSink handing on one batch per
//     read), to a sink that only counts.
// Layers alternate round by round; CPU µs (process user + system) per trade and per frame, medians and the
// spread of the rounds after the warm-up. Flags: --venues coinbase,alpaca --contracts 1,10 --ticks N (default
// 50,000) --rounds R (default 12, the first 3 warm-up).
import { isUtf8 } from 'node:buffer';
import { EventEmitter } from 'node:events';
import { parseArgs } from 'node:util';
import * as ws from 'ws';
import { rawBytes } from '../../ingester/src/providers/feed-socket.ts';
import { ReadFrameQueue } from '../../ingester/src/providers/read-frame-queue.ts';
import { TradeBatchingSink } from '../../ingester/src/providers/trade-batching-sink.ts';
import { median, spread } from '../lib/median.ts';
import { benchContract, takeTicks } from '../lib/market-ticks.ts';
import { figure, printLoad, printMachine } from '../lib/report.ts';
import { wireFormatOf } from './registry.ts';
import { encodeTextFrames } from './wire-frame-server.ts';

const { values: flags } = parseArgs({
  options: {
    venues: { type: 'string', default: 'coinbase,alpaca' },
    contracts: { type: 'string', default: '1,10' },
    ticks: { type: 'string', default: '50000' },
    rounds: { type: 'string', default: '12' },
  },
});
const TICKS = Number(flags.ticks);
const ROUNDS = Number(flags.rounds);
/** Rounds before V8 has optimised every layer's code: not counted. */
const WARM_UP = 3;
/** What one read of a TCP socket gives Node (libuv's read buffer). */
const READ_BYTES = 64 * 1024;
const START = Date.parse('2026-01-05T14:30:00Z');

type Layer = (reads: readonly Buffer[], views: readonly Buffer[]) => number | Promise<number>;

/** ws's frame reader, which the WebSocket feeds its socket's reads to: ws exports it (a named export of its ES
 * module), its types package does not declare it, so the part used here is declared. */
interface WsReceiver {
  write(chunk: Buffer): boolean;
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): this;
}
interface WsReceiverOptions {
  readonly isServer: boolean;
  readonly binaryType: 'nodebuffer';
  readonly skipUTF8Validation: boolean;
}
const { Receiver } = ws as unknown as { Receiver: new (options: WsReceiverOptions) => WsReceiver };

/** ws's client Receiver, its 'message' re-emitted as ws's WebSocket does, `onFrame` called per text frame. */
function receiver(skipUTF8Validation: boolean, onFrame: (bytes: Buffer) => void): WsReceiver {
  const rx = new Receiver({ isServer: false, binaryType: 'nodebuffer', skipUTF8Validation });
  const socket = new EventEmitter();
  rx.on('message', (data: Buffer, isBinary: boolean) => socket.emit('message', data, isBinary));
  socket.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) throw new Error('wire-read-layers: a binary frame');
    onFrame(data);
  });
  return rx;
}

function layersOf(venue: string, contracts: readonly string[]): Record<string, Layer> {
  const make = wireFormatOf(venue);
  if (!make) throw new Error(`--venues: '${venue}' has no wire format`);
  return {
    receive: (reads) => {
      let frames = 0;
      const rx = receiver(false, () => frames++);
      for (const read of reads) rx.write(read);
      return frames;
    },
    'receive, no UTF-8 check': (reads) => {
      let frames = 0;
      const rx = receiver(true, () => frames++);
      for (const read of reads) rx.write(read);
      return frames;
    },
    'UTF-8 check alone': (_, views) => {
      let frames = 0;
      for (const view of views) if (isUtf8(view)) frames++;
      return frames;
    },
    'parse alone': (_, views) => {
      const wire = make(contracts);
      let trades = 0;
      for (const view of views) trades += wire.parseFrame(view).length;
      return trades;
    },
    'receive + parse, frame by frame': (reads) => {
      const wire = make(contracts);
      let trades = 0;
      const rx = receiver(false, (bytes) => void (trades += wire.parseFrame(bytes).length));
      for (const read of reads) rx.write(read);
      return trades;
    },
    'receive + parse + sink': async (reads) => {
      const wire = make(contracts);
      let trades = 0;
      const count = (batch: readonly unknown[]): void => void (trades += batch.length);
      const fail = (): never => {
        throw new Error('wire-read-layers: not a trade');
      };
      const sink = new TradeBatchingSink({ onTrades: count, onQuote: fail, onRejected: fail, onConnectionChange: fail }, fail);
      const frames = new ReadFrameQueue((bytes) => sink.onTrades(wire.parseFrame(rawBytes(bytes))));
      const rx = receiver(false, (bytes) => frames.push(bytes, false));
      for (const read of reads) {
        rx.write(read);
        // The turn ends: the read's frames are parsed, then its trades handed on (microtasks).
        await Promise.resolve();
      }
      sink.flush();
      return trades;
    },
  };
}

async function measure(venue: string, contractCount: number): Promise<void> {
  const contracts = Array.from({ length: contractCount }, (_, i) => benchContract(i));
  const frames =
    wireFormatOf(venue)?.(contracts).makeFrames(takeTicks({ contracts: contractCount, meanGapMs: 200, start: START }, TICKS)) ?? [];
  const bytes = Buffer.concat(encodeTextFrames(frames));
  const reads: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += READ_BYTES) reads.push(Buffer.from(bytes.subarray(at, at + READ_BYTES)));
  // The payloads as views into one buffer, as the Receiver hands them on.
  const payloads = Buffer.from(frames.join(''), 'utf8');
  const views: Buffer[] = [];
  for (let at = 0, k = 0; k < frames.length; k++) {
    const n = Buffer.byteLength(frames[k] as string);
    views.push(payloads.subarray(at, at + n));
    at += n;
  }
  const layers = layersOf(venue, contracts);
  const cpu: Record<string, number[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, layer] of Object.entries(layers)) {
      const before = process.cpuUsage();
      const counted = await layer(reads, views);
      const used = process.cpuUsage(before);
      const expected = name.includes('parse') ? TICKS : frames.length;
      if (counted !== expected) throw new Error(`wire-read-layers: ${name} counted ${counted}, not ${expected}`);
      if (round >= WARM_UP) (cpu[name] ??= []).push(used.user + used.system);
    }
  }
  const perFrame = TICKS / frames.length;
  console.log(
    `\n## ${venue}, ${contractCount} contract${contractCount > 1 ? 's' : ''}: ${frames.length.toLocaleString('en-US')} frames, ${perFrame.toFixed(2)} trades and ${Math.round(bytes.length / frames.length)} bytes a frame`,
  );
  for (const [name, micros] of Object.entries(cpu)) {
    const perTrade = micros.map((us) => us / TICKS);
    const m = median(perTrade);
    figure(`${name}`, m, 'µs/trade', `${(m * perFrame).toFixed(2)} µs/frame; ${spread(perTrade, 3)}`);
  }
}

printMachine(`wire-read-layers — CPU a trade of each layer of reading a venue's frames, ${TICKS.toLocaleString('en-US')} trades`);
printLoad('before');
for (const venue of (flags.venues ?? '').split(','))
  for (const n of (flags.contracts ?? '').split(',').map(Number)) await measure(venue, n);
printLoad('after');
