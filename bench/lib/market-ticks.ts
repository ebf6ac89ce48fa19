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
  /** Each trade carries a trade id as the simulated provider makes one (ingester/src/providers/simulated-market.ts):
   * `${contract}-${minute}-${i}`, the epoch minute and the trade's index among its contract's in that minute.
   * Off by default: the #19 figures are measured without ids, as ProjectX sends trades. */
  readonly ids?: boolean;
}

const MINUTE_MS = 60_000;

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
  // Per contract: the minute of its last trade and how many it had in that minute (the id's `i` is the next).
  const idMinute = new Float64Array(options.contracts).fill(-1);
  const idCount = new Uint32Array(options.contracts);
  for (;;) {
    time += Math.round(-Math.log(1 - next()) * meanGap * 1000) / 1000;
    const c = Math.floor(next() * options.contracts);
    const step = next();
    const price = (prices[c] as number) + (step < 0.45 ? -TICK_SIZE : step > 0.55 ? TICK_SIZE : 0);
    prices[c] = price;
    const trade: Trade = {
      contractId: ids[c] as string,
      time,
      price,
      volume: 1 + Math.floor(-Math.log(1 - next()) * 2),
      side: next() < 0.5 ? 'buy' : 'sell',
    };
    if (!options.ids) {
      yield trade;
      continue;
    }
    const minute = Math.floor(time / MINUTE_MS);
    if (idMinute[c] !== minute) {
      idMinute[c] = minute;
      idCount[c] = 0;
    }
    const i = (idCount[c] as number)++;
    yield { ...trade, tradeId: simulatedTradeId(trade.contractId, minute, i) };
  }
}

/** The simulated provider's trade id (its template, simulated-market.ts): contract, epoch minute, index. */
export const simulatedTradeId = (contractId: string, minute: number, i: number): string => `${contractId}-${minute}-${i}`;

/** The first `count` trades of the stream. */
export function takeTicks(options: MarketTickOptions, count: number): Trade[] {
  const out: Trade[] = [];
  for (const t of marketTicks(options)) {
    if (out.length === count) break;
    out.push(t);
  }
  return out;
}
