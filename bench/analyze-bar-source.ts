// bench:analyze's bar close → signal load, a process of its own (forked by bench/lib/bar-source-process.ts):
// the stand-in ingester writes one closed 1m bar per write (the ingester's writeFlush: upsert + ohlc_update
// NOTIFY in one transaction) at `rate` bars/s over `contracts` contracts, and a client LISTENs for
// signal_detected. In production both are processes apart from the analyzer: here neither takes CPU or GC
// pauses from the analyzer measured, nor the analyzer's from them.
// Times are epoch milliseconds from this process's monotonic clock (performance.timeOrigin + now()), the clock
// the analyzer's process marks its stages with, so one bar's marks compare across the two processes.
// IPC: → {type:'ready'} once LISTENing; ← {type:'clock'} → {type:'clock', at} (the parent's offset check);
// ← {type:'go'} → {type:'done', bars, cpuMs, missing} once every signal arrived (or a 10 s wait for them ran out).
import pg from 'pg';
import { z } from 'zod';
import { createPool } from '../core/src/node.ts';
import { writeFlush } from '../ingester/src/bar-store.ts';

const optionsSchema = z.object({
  databaseUrl: z.string(),
  rate: z.number().positive(),
  seconds: z.number().positive(),
  contracts: z.array(z.string()).min(1),
  /** The first bar's time (epoch ms); each contract's bars follow one minute apart. */
  firstBar: z.number(),
});
export type BarSourceOptions = z.infer<typeof optionsSchema>;

/** One bar's marks, epoch ms; `received` absent when its signal never came. */
export interface BarSourceMarks {
  contract: string;
  time: number;
  sent: number;
  flushed: number;
  received?: number;
}

export interface BarSourceDone {
  type: 'done';
  bars: BarSourceMarks[];
  /** This process's CPU from go to done (user + system). */
  cpuMs: number;
  missing: number;
}

/** How long the signals still missing after the last write are waited for. */
const DRAIN_MS = 10_000;

const epochNow = (): number => performance.timeOrigin + performance.now();
const key = (contract: string, time: number): string => `${contract}|${time}`;
const send = (m: unknown): void => {
  process.send?.(m);
};

const options = optionsSchema.parse(JSON.parse(process.env.BENCH_BAR_SOURCE ?? ''));
const byKey = new Map<string, BarSourceMarks>();
const bars: BarSourceMarks[] = [];
let received = 0;
let allReceived: (() => void) | undefined;
const total = Math.round(options.rate * options.seconds);

const listener = new pg.Client({ connectionString: options.databaseUrl });
await listener.connect();
listener.on('notification', (n) => {
  const at = epochNow();
  const m = JSON.parse(n.payload ?? '{}') as { contract_id: string; timestamp: string };
  const marks = byKey.get(key(m.contract_id, Date.parse(m.timestamp)));
  if (marks === undefined || marks.received !== undefined) return;
  marks.received = at;
  if (++received === total) allReceived?.();
});
await listener.query('LISTEN signal_detected');
const pool = createPool(options.databaseUrl, { max: 2 });

async function run(): Promise<void> {
  const cpu = process.cpuUsage();
  const begin = performance.now();
  for (let i = 0; i < total; i++) {
    const due = begin + (i * 1000) / options.rate;
    while (performance.now() < due) await new Promise((r) => setTimeout(r, 1));
    const contract = options.contracts[i % options.contracts.length] as string;
    const time = options.firstBar + Math.floor(i / options.contracts.length) * 60_000;
    const bar = {
      contractId: contract,
      unit: 2 as const,
      value: 1,
      time,
      open: 10,
      high: 11,
      low: 9,
      close: 10.5,
      volume: 1,
      isClosed: true,
    };
    const marks: BarSourceMarks = { contract, time, sent: epochNow(), flushed: 0 };
    // Registered before the write: its signal may arrive before the write's own answer does.
    byKey.set(key(contract, time), marks);
    bars.push(marks);
    await writeFlush(pool, [bar], []);
    marks.flushed = epochNow();
  }
  if (received < total) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, DRAIN_MS);
      allReceived = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  const used = process.cpuUsage(cpu);
  const done: BarSourceDone = { type: 'done', bars, cpuMs: (used.user + used.system) / 1000, missing: total - received };
  send(done);
  await listener.end();
  await pool.end();
  process.disconnect?.();
}

process.on('message', (m: { type?: string }) => {
  if (m.type === 'clock') send({ type: 'clock', at: epochNow() });
  else if (m.type === 'go')
    void run().catch((err: unknown) => {
      console.error('bar source failed:', err);
      process.exit(1);
    });
});
send({ type: 'ready' });
