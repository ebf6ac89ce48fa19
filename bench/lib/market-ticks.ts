// Synthetic trades spaced like a market's: Poisson arrivals per contract (exponential gaps), prices
// on a 0.25 tick random walk, small lot sizes. Deterministic for a seed, so every phase of a
// benchmark (pipeline, COPY floor, baseline) sees the same ticks.
import type { Trade } from '../../core/src/index.ts';

export interface MarketTickOptions {
  readonly contracts: number;
  /** Mean gap between two trades of one contract, in market milliseconds. */
  readonly meanGapMs: number;
  /** Market time of the first trade (epoch ms). */
  readonly start: number;
  readonly seed?: number;
}

/** A benchmark contract id: BENCH.C000, BENCH.C001, … */
export const benchContract = (i: number): string => `BENCH.C${String(i).padStart(3, '0')}`;

const TICK_SIZE = 0.25;
const START_PRICE = 5_600;

/** A small, fast PRNG (mulberry32): the same seed gives the same market. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** An endless, time-ordered stream of trades over `contracts` contracts. Merged Poisson processes
 * are one Poisson process whose gap is the per-contract gap / contracts, each trade going to a
 * uniformly chosen contract. Times carry microseconds, as exchange feeds do. */
export function* marketTicks(options: MarketTickOptions): Generator<Trade> {
  const next = random(options.seed ?? 42);
  const prices = Array.from({ length: options.contracts }, (_, i) => START_PRICE + i * 10);
  const ids = Array.from({ length: options.contracts }, (_, i) => benchContract(i));
  const meanGap = options.meanGapMs / options.contracts;
  let time = options.start;
  for (;;) {
    time += Math.round(-Math.log(1 - next()) * meanGap * 1000) / 1000;
    const c = Math.floor(next() * options.contracts);
    const step = next();
    const price = (prices[c] as number) + (step < 0.45 ? -TICK_SIZE : step > 0.55 ? TICK_SIZE : 0);
    prices[c] = price;
    yield {
      contractId: ids[c] as string,
      time,
      price,
      volume: 1 + Math.floor(-Math.log(1 - next()) * 2),
      side: next() < 0.5 ? 'buy' : 'sell',
    };
  }
}

/** The first `count` trades of the stream. */
export function takeTicks(options: MarketTickOptions, count: number): Trade[] {
  const out: Trade[] = [];
  for (const t of marketTicks(options)) {
    if (out.length === count) break;
    out.push(t);
  }
  return out;
}
