// bench:ingest's warm-up ticks: what the pipeline process (and the COPY floor) take before the measured
// window, so the window holds the steady cost a long-running ingester pays, not V8's warm-up (code run
// unoptimized, compiled on its helper threads). Same contracts and spacing as the measured ticks, in the
// market time just before them (another seed), so the stream runs on into the window as a live one does:
// the warm-up's forming bars close in it, and nothing jumps.
import type { Trade } from '../core/src/index.ts';
import { takeTicks } from './lib/market-ticks.ts';

/** Another stretch of the same market: not the measured ticks again (a replay), nor their prices. */
const WARMUP_SEED = 7;

/** `count` trades over `contracts` contracts, ending before `start` (the measured ticks' first market time).
 * They are drawn from a stream that starts anywhere and shifted back by whole milliseconds, so their
 * microseconds stay as exact as the measured ticks'. */
export function warmupTicks(options: { contracts: number; meanGapMs: number; start: number }, count: number): Trade[] {
  if (count === 0) return [];
  const drawn = takeTicks({ ...options, seed: WARMUP_SEED }, count);
  const last = (drawn[drawn.length - 1] as Trade).time;
  // The last warm-up trade one mean gap (of the merged stream, at least 1 ms) before the first measured one.
  const shift = Math.ceil(last - options.start + Math.max(1, options.meanGapMs / options.contracts));
  return drawn.map((t) => ({ ...t, time: t.time - shift }));
}
