// bench:ingest's pipeline under test, a process of its own: the ingester's IngestPipeline built as
// IngesterService builds it (timeframes, grace and flush interval from config/settings.yaml, the
// first configured contract's session calendar), fed by bench/ingest-load-generator.ts through a
// pipe. Prints one JSON line (IngestRunResult) when every tick is stored.
// With a warm-up (a flood's `warmupTicks`), the window opens only after the warm-up's ticks are all stored and
// the measured ones start: every figure of the result (time, CPU, GC, the database's CPU with
// BENCH_POSTMASTER_PID, the load generator's) is the window's; without, it opens at the first hand-on (cold).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BarAggregator, calendarFor, parseTimeframe, type Trade } from '../core/src/index.ts';
import { loadConfig } from '../core/src/node/load-config.ts';
import { createMetricsRegistry, createPool } from '../core/src/node.ts';
import { createIngestMetrics, type IngestMetrics } from '../ingester/src/ingest-metrics.ts';
import { IngestFence } from '../ingester/src/fence-check.ts';
import { IngestPipeline } from '../ingester/src/ingest-pipeline.ts';
import { MarketClock } from '../ingester/src/market-clock.ts';
import { quietLogger } from '../tests/support/quiet-logger.ts';
import { benchContract, takeTicks } from './lib/market-ticks.ts';
import { FrameDecoder } from './lib/tick-frames.ts';
import { LengthPrefixedDecoder } from './lib/length-prefixed-frames.ts';
import { wireFormatOf } from './ingest-wire/registry.ts';
import { TradeBatchingSink } from '../ingester/src/providers/trade-batching-sink.ts';
import { openWireTradeSource, type WireTradeSource } from './ingest-wire/wire-trade-source.ts';
import { MeasuredWindow } from './ingest-measured-window.ts';
import { startHeapProfile } from './lib/heap-profile.ts';
import type { GcTally } from './lib/gc-tally.ts';
import { traceFlushes } from './ingest-flush-trace.ts';
import type { LoadGeneratorOptions } from './ingest-load-generator.ts';

export interface IngestRunResult {
  readonly ticks: number;
  readonly seconds: number;
  readonly nodeCpuMs: number;
  /** CPU of the pipeline's own (main) thread alone: nodeCpuMs less a parse worker's, GC helpers', libuv's. */
  readonly mainThreadCpuMs: number;
  readonly peakRssMb: number;
  readonly barsWritten: number;
  /** NOTIFY payloads sent on every channel (tick_data_channel and ohlc_update). */
  readonly notifies: number;
  /** Provider hand-ons (onTrades calls) and flushes (committed or not): ticks per hand-on and per flush. */
  readonly handOns: number;
  readonly flushes: number;
  /** The GC from the first hand-on until every tick was stored (bench/lib/gc-tally.ts). */
  readonly gc: GcTally;
  /** CPU ms in the measured window by thread ('main', then the others by rank, busiest first: V8's GC and
   * compiler helpers, libuv's pool, tsx's loader): which thread a side's extra CPU is on. */
  readonly threadCpuMsByName?: Readonly<Record<string, number>>;
  /** Ticks stored before the window (bench/ingest-warmup.ts); `ticks` are the window's alone. */
  readonly warmupTicks: number;
  /** CPU of the load generator's process in the window (it shares the machine's cores with the pipeline). */
  readonly generatorCpuMs: number;
  /** With BENCH_POSTMASTER_PID: the database server's CPU in the window (every backend and helper), or
   * 'failed' when /proc gave no consistent read. */
  readonly dbCpuMs?: number | 'failed';
}

/** Unwritten ticks beyond which the pipe is paused (a provider socket's backpressure), and below which it resumes. */
const PAUSE_ABOVE = 30_000;
const RESUME_BELOW = 10_000;

const gen = JSON.parse(process.env.BENCH_GEN ?? '') as LoadGeneratorOptions;
const total = gen.mode === 'flood' ? gen.ticks : Math.round(gen.rate * gen.seconds);
const warmup = gen.mode === 'flood' ? (gen.warmupTicks ?? 0) : 0;
const postmaster = process.env.BENCH_POSTMASTER_PID ? Number(process.env.BENCH_POSTMASTER_PID) : undefined;
const { settings } = loadConfig();
const first = settings.contracts.find((c) => c.id === settings.ingester.contracts[0]);
if (!first) throw new Error('config: ingester.contracts[0] is not among contracts');
const calendar = calendarFor(settings, first);
const contracts = new Set(Array.from({ length: gen.contracts }, (_, i) => benchContract(i)));
const pool = createPool(process.env.BENCH_URL as string, { max: 4 });
// --fence-pairs: every contract leased at epoch 1, every flush checking its contracts' (fence-check.ts).
const fenced = process.env.BENCH_FENCE === '1';
if (fenced) {
  await pool.query(
    `INSERT INTO lease_epochs (service, unit, epoch) SELECT 'ingester', unnest($1::text[]), 1
     ON CONFLICT (service, unit) DO UPDATE SET epoch = 1`,
    [[...contracts]],
  );
}
const metrics = createIngestMetrics(createMetricsRegistry('bench'));
const flushTracer = process.env.BENCH_FLUSH_TRACE ? traceFlushes(metrics, process.env.BENCH_FLUSH_TRACE) : undefined;
const pipeline = new IngestPipeline({
  pool,
  aggregator: new BarAggregator({
    timeframes: settings.ingester.timeframes.map((t) => parseTimeframe(t)),
    calendarFor: () => calendar,
    graceMs: settings.ingester.close_grace_ms,
  }),
  // A flood is a replay (the clock follows the stream); paced ticks are live.
  clock: new MarketClock({ rate: gen.mode === 'flood' ? 0 : 1 }),
  logger: quietLogger('bench'),
  metrics,
  contracts,
  flushIntervalMs: settings.ingester.flush_interval_ms,
  maxClockSkewMs: settings.ingester.max_clock_skew_ms,
  ...(fenced ? { fence: new IngestFence(() => 1, undefined) } : {}),
});

const counter = async (c: IngestMetrics['ticksWritten']): Promise<number> => (await c.get()).values.reduce((sum, v) => sum + v.value, 0);
/** Ticks accounted for: stored, or dropped as late or invalid (the bench then fails: none should be). */
const settled = async (): Promise<number> =>
  (await counter(metrics.ticksWritten)) + (await counter(metrics.lateTrades)) + (await counter(metrics.ticksRejected));

const heapProfile = process.env.BENCH_HEAP_PROF_DIR
  ? await startHeapProfile(process.env.BENCH_HEAP_PROF_DIR, `pipeline-${gen.mode}-${gen.contracts}-${process.pid}`, {
      survivorsOnly: true,
      samplingInterval: 8_192,
    })
  : undefined;
pipeline.start();
const generator = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./ingest-load-generator.ts', import.meta.url))], {
  env: { ...process.env },
  // With a warm-up, a line on its stdin lets the measured ticks go (bench/ingest-load-generator.ts).
  stdio: ['pipe', 'pipe', 'inherit'],
});
if (warmup === 0) generator.stdin.end();
const input = generator.stdout;
const profileDir = process.env.BENCH_CPU_PROF_WINDOW;
const measured = new MeasuredWindow(
  postmaster,
  process.env.BENCH_PIPELINE_STDOUT !== undefined,
  profileDir ? { dir: profileDir, name: `window-${gen.mode}-${gen.contracts}-warmup${warmup}-${process.pid}` } : undefined,
);

/** pause/resume of whatever feeds the pipeline, as a provider socket's backpressure. */
let handOns = 0;
let fed = 0;
function feed(trades: readonly Trade[], source: { pause(): void; resume(): void }): void {
  // The generator sends no measured tick before the warm-up is stored, so no hand-on holds both.
  const warming = fed < warmup;
  fed += trades.length;
  if (warming) {
    if (fed >= warmup) void releaseMeasuredTicks();
  } else {
    measured.start(generator.pid);
    handOns++;
  }
  flushTracer?.batch(trades);
  pipeline.onTrades(trades);
  if (pipeline.bufferedTicks > PAUSE_ABOVE) {
    source.pause();
    const resumeWhenDrained = (): void => {
      if (pipeline.bufferedTicks < RESUME_BELOW) source.resume();
      else setTimeout(resumeWhenDrained, 1);
    };
    setTimeout(resumeWhenDrained, 1);
  }
}

const flushCount = async (): Promise<number> =>
  (await metrics.flushSeconds.get()).values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;
const counts = async (): Promise<{ bars: number; notifies: number; flushes: number }> => ({
  bars: await counter(metrics.barsWritten),
  notifies: await counter(metrics.notifies),
  flushes: await flushCount(),
});
/** The warm-up's bar upserts, NOTIFYs and flushes, left out of the window's. */
let beforeWindow = { bars: 0, notifies: 0, flushes: 0 };

/** Once every warm-up tick is stored (polled, as the end below), the generator sends the measured ones. */
async function releaseMeasuredTicks(): Promise<void> {
  while ((await settled()) < warmup) await new Promise((r) => setTimeout(r, 2));
  beforeWindow = await counts();
  measured.startProfile();
  generator.stdin.end('go\n');
}

// With a venue, the load generator's first line is the port of its WebSocket server: the frames come over
// a WebSocket and are parsed here by the provider's parser (on a worker thread with BENCH_PARSE_IN_WORKER=1),
// as part of what is measured. Without, binary frames come down the pipe.
// With "transport":"pipe", the venue's frames come down the pipe as the simulated side's do, each behind its
// length, are parsed by the provider's parser and handed on through the providers' TradeBatchingSink: the
// simulated side's transport, the venue's text, parser and hand-on.
let wireSource: WireTradeSource | undefined;
if (gen.wire === undefined) {
  const decoder = new FrameDecoder(gen.ids === true);
  input.on('data', (chunk: Buffer) => feed(decoder.decode(chunk), input));
} else if (gen.transport === 'pipe') {
  const wire = wireFormatOf(gen.wire)?.([...contracts]);
  if (!wire) throw new Error(`BENCH_PROVIDER '${gen.wire}' has no wire format`);
  const decoder = new LengthPrefixedDecoder();
  // The providers' own hand-on (ReconnectingFeed's TradeBatchingSink), as the WebSocket side has it.
  const unexpected = (what: string) => () => {
    throw new Error(`wire run: ${what}`);
  };
  const sink = new TradeBatchingSink(
    {
      onTrades: (trades) => feed(trades, input),
      onQuote: unexpected('a quote'),
      onRejected: unexpected('a rejected frame'),
      onConnectionChange: unexpected('a connection change'),
    },
    (error) => {
      throw error;
    },
  );
  // A diagnostic, as wire-trade-source.ts's: BENCH_WIRE_TRADE_IDS=0 drops the venue's ids before the pipeline.
  const dropIds = process.env.BENCH_WIRE_TRADE_IDS === '0';
  // A diagnostic: BENCH_WARM_PARSER=N parses N trades of other frames (a day later) before the window and waits for
  // V8's background compiles, so the window holds the parser's steady cost, not its start-up (interpreted
  // frames, TurboFan's compiles): how much of what a wire run adds is the parser warming up.
  const warmTrades = Number(process.env.BENCH_WARM_PARSER ?? 0);
  if (warmTrades > 0) {
    const warm = wireFormatOf(gen.wire)?.([...contracts]);
    const frames =
      warm?.makeFrames(takeTicks({ contracts: gen.contracts, meanGapMs: gen.meanGapMs, start: Date.UTC(2020, 0, 7, 14) }, warmTrades)) ??
      [];
    for (const frame of frames) warm?.parseFrame(Buffer.from(frame, 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  input.on('data', (chunk: Buffer) => {
    for (const frame of decoder.decode(chunk)) {
      const trades = wire.parseFrame(frame);
      if (dropIds) for (const t of trades) (t as { tradeId?: string }).tradeId = undefined;
      sink.onTrades(trades);
    }
  });
  input.on('end', () => sink.flush());
} else {
  const provider = gen.wire;
  let head = '';
  input.on('data', (chunk: Buffer) => {
    if (wireSource) return;
    head += chunk.toString('utf8');
    const newline = head.indexOf('\n');
    if (newline < 0) return;
    const source: WireTradeSource = openWireTradeSource({
      url: `ws://127.0.0.1:${head.slice(0, newline)}`,
      provider,
      contracts: [...contracts],
      inWorker: process.env.BENCH_PARSE_IN_WORKER === '1',
      onTrades: (trades) => feed(trades, source),
    });
    wireSource = source;
  });
}
const exitCode = await new Promise<number | null>((resolve) => generator.on('exit', resolve));
if (exitCode !== 0) throw new Error(`load generator failed (exit ${exitCode})`);
await new Promise((resolve) => (input.readableEnded ? resolve(undefined) : input.on('end', resolve)));
await wireSource?.ended;
if (gen.mode === 'flood') pipeline.onEndOfStream();
// Waiting on a condition (every tick accounted for), polled: the bench's only clock is the figure.
while ((await settled()) < warmup + total) await new Promise((r) => setTimeout(r, 2));
const figures = measured.end();
await heapProfile?.stop();
flushTracer?.write();
await pipeline.stop();
await pool.end();
const written = await counter(metrics.ticksWritten);
if (written !== warmup + total) throw new Error(`${warmup + total - written} of ${warmup + total} ticks not stored (late or rejected)`);
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
const result: IngestRunResult = {
  ...figures,
  ticks: written - warmup,
  peakRssMb: Number(hwm ?? 0) / 1024,
  barsWritten: (await counter(metrics.barsWritten)) - beforeWindow.bars,
  notifies: (await counter(metrics.notifies)) - beforeWindow.notifies,
  handOns,
  flushes: (await flushCount()) - beforeWindow.flushes,
  warmupTicks: warmup,
};
console.log(JSON.stringify(result));
