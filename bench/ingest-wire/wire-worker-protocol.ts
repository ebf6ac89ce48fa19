// The messages between a bench:ingest wire run's pipeline thread and its parse worker
// (wire-parse-worker.ts), one zod schema each way, versioned so a stale worker module fails loudly.
import { z } from 'zod';
import type { TradeSide } from '../../core/src/index.ts';

/** Bumped whenever a message's shape or the batch layout changes. */
export const WIRE_WORKER_PROTOCOL = 2;
/** A batch's float64 values per trade: contract index, time (epoch ms), price, size, side code. */
export const VALUES_PER_TRADE = 5;
/** Trades per batch at most; a batch also goes at the end of each turn of the worker's event loop. */
export const MAX_BATCH_TRADES = 2_000;
export const SIDE_CODES: Readonly<Record<TradeSide, number>> = { buy: 0, sell: 1, unknown: 2 };
export const SIDES: readonly TradeSide[] = ['buy', 'sell', 'unknown'];

export const workerSetupSchema = z.object({
  url: z.string().regex(/^wss?:\/\//, 'a ws:// or wss:// URL'),
  provider: z.string(),
  contracts: z.array(z.string()).min(1),
  /** A V8 CPU profile of the worker is written here when set. */
  profileDir: z.string().optional(),
});
export type WorkerSetup = z.infer<typeof workerSetupSchema>;

const version = z.literal(WIRE_WORKER_PROTOCOL);

export const workerMessageSchema = z.discriminatedUnion('kind', [
  /** First: the worker's Linux thread id, so a bench can read its CPU in /proc. */
  z.object({ kind: z.literal('hello'), version, tid: z.number().int().positive() }),
  z
    .object({
      kind: z.literal('trades'),
      version,
      values: z.instanceof(ArrayBuffer),
      tradeIds: z.array(z.string().nullable()),
    })
    .refine((b) => b.values.byteLength === b.tradeIds.length * VALUES_PER_TRADE * Float64Array.BYTES_PER_ELEMENT, {
      message: `a batch's values are not ${VALUES_PER_TRADE} float64 per trade id`,
    }),
  /** Last, once the socket closed: the CPU the worker's thread used in all, batches posted, frames read. */
  z.object({
    kind: z.literal('end'),
    version,
    cpuMs: z.number().nonnegative(),
    batches: z.number().int().nonnegative(),
    frames: z.number().int().nonnegative(),
  }),
]);
export type WorkerMessage = z.infer<typeof workerMessageSchema>;
export type WorkerBatch = Extract<WorkerMessage, { kind: 'trades' }>;

export const workerControlSchema = z.enum(['pause', 'resume']);
export type WorkerControl = z.infer<typeof workerControlSchema>;
