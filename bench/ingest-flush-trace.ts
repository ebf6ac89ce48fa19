// bench:ingest --latency-trace: what each flush of the pipeline process carried and when it ran (epoch ms on
// the bench's shared clock, lib/shared-clock.ts, comparable across its processes), and the GC pauses beside
// them, to explain the tick → NOTIFY tail (bench/ingest-latency-trace.ts reads it with the listener's
// latencies). Hooks the ingester's own metrics (flush timer, bars and ticks written), so the ingester is unchanged.
import { writeFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import type { Trade } from '../core/src/index.ts';
import type { IngestMetrics } from '../ingester/src/ingest-metrics.ts';
import { sharedEpochNow } from './lib/shared-clock.ts';

export interface FlushTraceRecord {
  /** Wall-clock epoch ms when the flush began (after its batch was taken) and when it committed. */
  start: number;
  end: number;
  bars: number;
  ticks: number;
}

export interface FlushTrace {
  flushes: FlushTraceRecord[];
  /** GC pauses of the pipeline's thread: [start epoch ms, duration ms, V8 kind]. */
  gc: [number, number, number][];
  /** Provider batches as the pipeline took them: [epoch ms taken, first trade's time, last trade's time]
   * (paced trades are stamped with their send time, so a tick's wait in the pipe is told apart). */
  batches: [number, number, number][];
}

export interface FlushTracer {
  batch(trades: readonly Trade[]): void;
  /** Writes what was recorded. */
  write(): void;
}

const wall = sharedEpochNow;

/** Starts recording flushes and GC pauses (and batches handed to it) for `file`. */
export function traceFlushes(metrics: IngestMetrics, file: string): FlushTracer {
  const trace: FlushTrace = { flushes: [], gc: [], batches: [] };
  let lastEnded: FlushTraceRecord | undefined;
  const startTimer = metrics.flushSeconds.startTimer.bind(metrics.flushSeconds);
  metrics.flushSeconds.startTimer = (labels) => {
    const record: FlushTraceRecord = { start: wall(), end: NaN, bars: 0, ticks: 0 };
    const stop = startTimer(labels);
    return (more) => {
      record.end = wall();
      trace.flushes.push(record);
      lastEnded = record;
      return stop(more);
    };
  };
  // flushOnce counts a committed flush's bars and ticks right after stopping its timer.
  const count = (counter: IngestMetrics['barsWritten'], field: 'bars' | 'ticks'): void => {
    const inc = counter.inc.bind(counter) as (n?: number) => void;
    (counter as { inc: (n?: number) => void }).inc = (n = 1) => {
      if (lastEnded) lastEnded[field] += n;
      inc(n);
    };
  };
  count(metrics.barsWritten, 'bars');
  count(metrics.ticksWritten, 'ticks');
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      trace.gc.push([
        sharedEpochNow() - (performance.now() - e.startTime),
        e.duration,
        (e as { detail?: { kind?: number } }).detail?.kind ?? 0,
      ]);
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    batch(trades) {
      if (trades.length > 0) trace.batches.push([wall(), (trades[0] as Trade).time, (trades[trades.length - 1] as Trade).time]);
    },
    write() {
      observer.disconnect();
      writeFileSync(file, JSON.stringify(trace));
    },
  };
}
