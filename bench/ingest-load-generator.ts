// bench:ingest's load generator, a process of its own (so it takes no CPU from the pipeline's event
// loop): writes market-spaced trades as binary frames (bench/lib/tick-frames.ts) to stdout.
//   flood: BENCH_GEN='{"mode":"flood","contracts":10,"ticks":200000,"meanGapMs":200}' — as fast as
//          the pipe takes them (the pipeline pauses its end of the pipe when it is behind, as a
//          provider socket would); ("ids":true: each trade with the simulated provider's id, in 56-byte frames);
//          with "warmupTicks":W, W trades from just before the measured ones in market
//          time (bench/ingest-warmup.ts) go first, then the generator waits for a line on its stdin (the
//          pipeline has stored them) before it sends the measured ones;
//   paced: BENCH_GEN='{"mode":"paced","contracts":10,"rate":2000,"seconds":10,"meanGapMs":200}' —
//          `rate` trades per wall second, each stamped with the wall time it is sent at.
// With "wire":"coinbase" (or another bench/ingest-wire format) the trades go out as the venue's JSON text
// frames, one WebSocket message each, from a WebSocket server whose port is the one line written to stdout;
// with "transport":"pipe" as well, the same frames' text goes down stdout instead, each behind its length
// (bench/lib/length-prefixed-frames.ts): the simulated side's pipe, so only the text and its parser differ.
import { once } from 'node:events';
import { z } from 'zod';
import { wireFormatOf } from './ingest-wire/registry.ts';
import { WireFrameServer } from './ingest-wire/wire-frame-server.ts';
import { warmupTicks } from './ingest-warmup.ts';
import { benchContract, marketTicks } from './lib/market-ticks.ts';
import { encodeLengthPrefixed } from './lib/length-prefixed-frames.ts';
import { sharedEpochNow } from './lib/shared-clock.ts';
import { encodeFrames } from './lib/tick-frames.ts';
import type { Trade } from '../core/src/index.ts';

const optionsSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('flood'),
    contracts: z.number().int().positive(),
    ticks: z.number().int().positive(),
    warmupTicks: z.number().int().nonnegative().optional(),
    meanGapMs: z.number().positive(),
    wire: z.string().optional(),
    transport: z.enum(['websocket', 'pipe']).optional(),
    // Binary frames whose trades carry the simulated provider's ids (bench/lib/tick-frames.ts): the wire pairs'
    // second simulated side.
    ids: z.boolean().optional(),
  }),
  z.object({
    mode: z.literal('paced'),
    contracts: z.number().int().positive(),
    rate: z.number().positive(),
    seconds: z.number().positive(),
    meanGapMs: z.number().positive(),
    wire: z.string().optional(),
    transport: z.enum(['websocket', 'pipe']).optional(),
    // Binary frames whose trades carry the simulated provider's ids (bench/lib/tick-frames.ts): the wire pairs'
    // second simulated side.
    ids: z.boolean().optional(),
  }),
]);
export type LoadGeneratorOptions = z.infer<typeof optionsSchema>;

const CHUNK = 2_000;
const START = Date.parse('2026-01-05T14:30:00Z');
const indexOf = (id: string): number => Number(id.slice(-3));

async function write(buf: Buffer): Promise<void> {
  if (!process.stdout.write(buf)) await once(process.stdout, 'drain');
}

/** The warm-up's trades, sent as the measured ones are; then a line from the pipeline process (every warm-up
 * tick stored) lets the measured ones go, so the window starts on a settled pipeline. */
async function warmUp(o: Extract<LoadGeneratorOptions, { mode: 'flood' }>): Promise<void> {
  const trades = warmupTicks({ contracts: o.contracts, meanGapMs: o.meanGapMs, start: START }, o.warmupTicks ?? 0);
  if (trades.length === 0) return;
  for (let from = 0; from < trades.length; from += CHUNK) await send(trades.slice(from, from + CHUNK));
  await once(process.stdin, 'data');
  process.stdin.destroy();
}

async function flood(o: Extract<LoadGeneratorOptions, { mode: 'flood' }>): Promise<void> {
  const stream = marketTicks({ contracts: o.contracts, meanGapMs: o.meanGapMs, start: START, ids: o.ids });
  const frames: string[] = [];
  // With a warm-up, the measured ticks' binary frames are made before the window too, as the COPY floor's input
  // is: in the window this process only writes (a venue's feed is made on another machine).
  const early = (o.warmupTicks ?? 0) > 0;
  const made: Buffer[] = [];
  for (let sent = 0; sent < o.ticks;) {
    const batch: Trade[] = [];
    for (; batch.length < CHUNK && sent < o.ticks; sent++) batch.push(stream.next().value as Trade);
    // A venue's JSON frames are rendered before the first is sent: rendering them is the venue's work, and
    // done on the fly it would make this process, not the pipeline's parsing, the bottleneck measured.
    if (wire) for (const frame of wire.makeFrames(batch)) frames.push(frame);
    else if (early) made.push(encode(batch));
    else await write(encode(batch));
  }
  await warmUp(o);
  for (const buf of made) await write(buf);
  if (server) await server.send(frames);
  else if (wire) for (const chunk of encodeLengthPrefixed(frames)) await write(chunk);
}

/** Sends each trade when due; a late timer sends what fell due meanwhile, stamped with the send time. */
async function paced(o: Extract<LoadGeneratorOptions, { mode: 'paced' }>): Promise<void> {
  const stream = marketTicks({ contracts: o.contracts, meanGapMs: o.meanGapMs, start: START, ids: o.ids });
  const total = Math.round(o.rate * o.seconds);
  const begin = performance.now();
  for (let sent = 0; sent < total;) {
    const due = Math.min(total, Math.floor(((performance.now() - begin) / 1000) * o.rate) + 1);
    const batch: Trade[] = [];
    const now = Math.round(sharedEpochNow() * 1000) / 1000;
    for (; sent < due; sent++) batch.push({ ...(stream.next().value as Trade), time: now });
    if (batch.length > 0) await send(batch);
    await new Promise((r) => setTimeout(r, 1));
  }
}

const options = optionsSchema.parse(JSON.parse(process.env.BENCH_GEN ?? ''));
const wire = wireFormatOf(options.wire ?? 'simulated')?.(Array.from({ length: options.contracts }, (_, i) => benchContract(i)));
const encode = (batch: readonly Trade[]): Buffer => encodeFrames(batch, indexOf, options.ids);
const server = wire && options.transport !== 'pipe' ? await WireFrameServer.listen() : undefined;
async function send(batch: readonly Trade[]): Promise<void> {
  if (!wire) return write(encode(batch));
  if (server) return server.send(wire.makeFrames(batch));
  for (const chunk of encodeLengthPrefixed(wire.makeFrames(batch))) await write(chunk);
}
if (server) await write(Buffer.from(`${server.port}\n`));
await (options.mode === 'flood' ? flood(options) : paced(options));
await server?.close();
process.stdout.end();
