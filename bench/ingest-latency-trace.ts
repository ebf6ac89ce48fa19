// bench:ingest --latency-trace D: where a paced run's slowest ticks (≥ p99 tick → NOTIFY) waited. Each
// tick is matched with the provider batch that brought it and the flush that took it (the first to start
// after the batch: the pipeline's trace, bench/ingest-flush-trace.ts), and its latency split into the pipe
// (stamp to the pipeline taking the batch), the wait for that flush to begin, the flush (to its COMMIT)
// and the NOTIFY's delivery; beside it what that flush and the one before it carried, and the GC pauses
// inside the tick's wait. The same figures for all ticks show what is different about the tail. Writes
// the raw latencies beside the flush trace.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlushTrace, FlushTraceRecord } from './ingest-flush-trace.ts';
import { figure, percentile } from './lib/report.ts';

interface Waited {
  latency: number;
  /** From its stamp to the pipeline taking its batch (the pipe and the pipeline's event loop). */
  inPipe: number;
  beforeFlush: number;
  flushMs: number;
  delivery: number;
  bars: number;
  previousBars: number;
  ticks: number;
  gcMs: number;
}

function firstStartingAfter(flushes: readonly FlushTraceRecord[], t: number): number {
  let lo = 0;
  let hi = flushes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((flushes[mid] as FlushTraceRecord).start < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function firstBatchEndingAtOrAfter(batches: readonly [number, number, number][], t: number): number {
  let lo = 0;
  let hi = batches.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((batches[mid] as [number, number, number])[2] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function summarize(label: string, all: readonly Waited[]): void {
  const med = (f: (w: Waited) => number): number =>
    percentile(
      all.map(f).sort((a, b) => a - b),
      50,
    );
  const share = (f: (w: Waited) => boolean): string => `${Math.round((100 * all.filter(f).length) / Math.max(1, all.length))}%`;
  figure(
    `  ${label}: ${all.length.toLocaleString('en-US')} ticks, median ms`,
    `${med((w) => w.latency).toFixed(1)} = pipe ${med((w) => w.inPipe).toFixed(1)} + wait ${med((w) => w.beforeFlush).toFixed(1)} + flush ${med((w) => w.flushMs).toFixed(1)} + delivery ${med((w) => w.delivery).toFixed(1)}`,
  );
  figure(
    `  ${label}: bars in or beside its flush / the one before`,
    `${med((w) => w.bars)} / ${med((w) => w.previousBars)} (median); with bars ${share((w) => w.bars > 0)}, behind bars ${share((w) => w.previousBars > 0)}`,
    '',
    `GC ≥ 1 ms in its wait: ${share((w) => w.gcMs >= 1)}; ticks in its flush ${med((w) => w.ticks)}`,
  );
}

export function explainTail(
  dir: string,
  contracts: number,
  sentAt: readonly number[],
  latencies: readonly number[],
  flushFile: string,
): void {
  writeFileSync(join(dir, `latencies-${contracts}.json`), JSON.stringify({ sentAt, latencies }));
  const trace = JSON.parse(readFileSync(flushFile, 'utf8')) as FlushTrace;
  const flushes = trace.flushes.filter((f) => f.ticks > 0 || f.bars > 0).sort((a, b) => a.start - b.start);
  // Since the flusher's two lanes, a tick goes in a tick flush; bar flushes run beside them: a tick
  // flush's bars are its own (one-transaction flushes) plus those of bar flushes overlapping it.
  const tickFlushes = flushes.filter((f) => f.ticks > 0);
  const barFlushes = flushes.filter((f) => f.ticks === 0);
  const barsBeside = (f: FlushTraceRecord | undefined): number =>
    f ? f.bars + barFlushes.reduce((n, b) => (b.start < f.end && b.end > f.start ? n + b.bars : n), 0) : 0;
  const waited: Waited[] = [];
  for (let i = 0; i < sentAt.length; i++) {
    const sent = sentAt[i] as number;
    const latency = latencies[i] as number;
    // The batch that carried it: the first whose last trade is not older (stamps only grow).
    const b = trace.batches[firstBatchEndingAtOrAfter(trace.batches, sent)];
    const taken = b ? b[0] : sent;
    const k = firstStartingAfter(tickFlushes, taken);
    const f = tickFlushes[k];
    if (!f) continue;
    const arrival = sent + latency;
    let gcMs = 0;
    for (const [start, duration] of trace.gc) if (start + duration > sent && start < arrival) gcMs += duration;
    waited.push({
      latency,
      inPipe: taken - sent,
      beforeFlush: f.start - taken,
      flushMs: f.end - f.start,
      delivery: arrival - f.end,
      bars: barsBeside(f),
      previousBars: barsBeside(tickFlushes[k - 1]),
      ticks: f.ticks,
      gcMs,
    });
  }
  const p99 = percentile(
    [...latencies].sort((a, b) => a - b),
    99,
  );
  console.log(
    `where the ticks waited (${flushes.length} flushes, ${trace.gc.length} GC pauses of ${trace.gc.reduce((s, g) => s + g[1], 0).toFixed(0)} ms; trace in ${dir}):`,
  );
  summarize('all', waited);
  summarize(
    '≥ p99',
    waited.filter((w) => w.latency >= p99),
  );
  const longest = [...flushes].sort((a, b) => b.end - b.start - (a.end - a.start)).slice(0, 5);
  console.log(
    `  longest flushes: ${longest.map((f) => `${(f.end - f.start).toFixed(1)} ms (${f.bars} bars, ${f.ticks} ticks)`).join(', ')}`,
  );
}
