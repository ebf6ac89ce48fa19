// A deterministic simulated market: every minute's bar is a pure function of (seed, contract, minute),
// and each of its trades a pure function of (bar, index), so the live stream and the provider's
// history agree exactly (restarts backfill without a seam). Nothing is kept between calls: memory
// does not grow with the trade rate, and history costs O(1) per minute whatever the rate.
import type { ContractSettings, OhlcBar, Trade } from '@barstream/core';
import { seededRandom } from './seeded-random.ts';

const MINUTE_MS = 60_000;
/** Smooth-noise octaves (period in minutes, relative amplitude): slow trend to minute wiggles. */
const OCTAVES: ReadonlyArray<readonly [number, number]> = [
  [4096, 0.03],
  [1024, 0.012],
  [256, 0.006],
  [64, 0.003],
  [16, 0.0012],
  [4, 0.0005],
];
/** Trade i of n lies in the middle 90 % of its 1/n slice of the minute, so times strictly increase. */
const SLICE_MARGIN = 0.05;

/** One minute as drawn up front: its bar and what its trades need to be regenerated one by one. */
interface MinutePlan {
  readonly bar: OhlcBar;
  readonly n: number;
  readonly seed: number;
  readonly noise: number;
  readonly highAt: number;
  readonly lowAt: number;
}

export class SimulatedMarket {
  /** @param tradesPerMinute per contract */
  constructor(
    private readonly seed: number,
    private readonly tradesPerMinute: number,
  ) {}

  /** The trades of `contract` in the minute starting at `minuteStart` (epoch ms, aligned). */
  minuteTrades(contract: ContractSettings, minuteStart: number): Trade[] {
    const plan = this.plan(contract, minuteStart);
    return Array.from({ length: plan.n }, (_, i) => this.trade(contract, minuteStart, plan, i));
  }

  /** Trades with time in (fromMs, toMs], in time order; only the trades in range are generated. */
  tradesBetween(contract: ContractSettings, fromMs: number, toMs: number): Trade[] {
    const out: Trade[] = [];
    for (let m = Math.floor(fromMs / MINUTE_MS) * MINUTE_MS; m <= toMs; m += MINUTE_MS) {
      const plan = this.plan(contract, m);
      // Trade i's time is within slice i: only the slices overlapping (fromMs, toMs] are visited.
      const first = Math.max(0, Math.floor(((fromMs - m) / MINUTE_MS) * plan.n) - 1);
      const last = Math.min(plan.n - 1, Math.ceil(((toMs - m) / MINUTE_MS) * plan.n));
      for (let i = first; i <= last; i++) {
        const t = this.trade(contract, m, plan, i);
        if (t.time > fromMs && t.time <= toMs) out.push(t);
      }
    }
    return out;
  }

  /** 1-minute bars for minutes starting in [fromMs, toMs): exactly the aggregate of the trades. */
  minuteBars(contract: ContractSettings, fromMs: number, toMs: number): OhlcBar[] {
    const bars: OhlcBar[] = [];
    for (let m = Math.ceil(fromMs / MINUTE_MS) * MINUTE_MS; m < toMs; m += MINUTE_MS) bars.push(this.plan(contract, m).bar);
    return bars;
  }

  /** The minute's bar first (a bridge from this minute's anchor to the next, widened by noise), then
   * its trade count, volume and where its extremes trade. */
  private plan(contract: ContractSettings, minuteStart: number): MinutePlan {
    const seed = hash(this.seed, contract.id, minuteStart / MINUTE_MS);
    const random = seededRandom(seed);
    const tick = contract.tick_size;
    const close = this.anchor(contract, minuteStart + MINUTE_MS);
    const n = Math.max(1, Math.round(this.tradesPerMinute * (0.5 + random())));
    // A lone trade is the whole bar.
    const open = n === 1 ? close : this.anchor(contract, minuteStart);
    const noise = Math.max(2, Math.round((Math.abs(close - open) / tick) * 0.5 + 2));
    // With fewer than four trades there is no room for extremes beyond the open and close.
    const widen = n >= 4;
    const high = Math.max(open, close) + (widen ? Math.round(random() * noise) * tick : 0);
    const low = Math.max(tick, Math.min(open, close) - (widen ? Math.round(random() * noise) * tick : 0));
    const highAt = widen ? 1 + Math.floor(random() * (n - 2)) : -1;
    let lowAt = widen ? 1 + Math.floor(random() * (n - 2)) : -1;
    if (lowAt === highAt) lowAt = highAt + 1 < n - 1 ? highAt + 1 : highAt - 1;
    const volume = n * (1 + Math.floor(random() * 6));
    const bar = { time: minuteStart, open, high: roundToTick(high, tick), low: roundToTick(low, tick), close, volume };
    return { bar, n, seed, noise, highAt, lowAt };
  }

  private trade(contract: ContractSettings, minuteStart: number, plan: MinutePlan, i: number): Trade {
    const { bar, n } = plan;
    const random = seededRandom(hash(plan.seed, '', i));
    const tick = contract.tick_size;
    let price: number;
    if (i === n - 1) price = bar.close;
    else if (i === 0) price = bar.open;
    else if (i === plan.highAt) price = bar.high;
    else if (i === plan.lowAt) price = bar.low;
    else {
      const f = i / (n - 1);
      const wiggle = Math.round((random() - 0.5) * 2 * plan.noise * Math.sin(Math.PI * f));
      price = Math.min(bar.high, Math.max(bar.low, roundToTick(bar.open + (bar.close - bar.open) * f + wiggle * tick, tick)));
    }
    const time = Math.round((minuteStart + ((i + SLICE_MARGIN + random() * (1 - 2 * SLICE_MARGIN)) / n) * MINUTE_MS) * 1000) / 1000;
    // Integer volumes that sum to the bar's exactly: q each, one more for the first `extra`.
    const q = Math.floor(bar.volume / n);
    const volume = q + (i < bar.volume - q * n ? 1 : 0);
    return {
      contractId: contract.id,
      time,
      price,
      volume,
      side: random() < 0.5 ? 'buy' : 'sell',
      tradeId: `${contract.id}-${minuteStart / MINUTE_MS}-${i}`,
    };
  }

  /** Price level at a minute boundary: layered smooth noise around the contract's start price. */
  private anchor(contract: ContractSettings, minuteStart: number): number {
    const m = minuteStart / MINUTE_MS;
    let level = 0;
    for (const [period, amplitude] of OCTAVES) level += amplitude * smoothNoise(hash(this.seed, contract.id, period), m / period);
    return Math.max(contract.tick_size, roundToTick((contract.start_price ?? 100) * (1 + level), contract.tick_size));
  }
}

/** Cosine-interpolated value noise in [-1, 1]. */
function smoothNoise(seed: number, x: number): number {
  const i = Math.floor(x);
  const a = seededRandom(hash(seed, '', i))() * 2 - 1;
  const b = seededRandom(hash(seed, '', i + 1))() * 2 - 1;
  const t = (1 - Math.cos((x - i) * Math.PI)) / 2;
  return a + (b - a) * t;
}

function hash(seed: number, text: string, n: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  h = Math.imul(h ^ (n | 0), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ Math.floor(n / 4294967296), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

function roundToTick(price: number, tick: number): number {
  return Number((Math.round(price / tick) * tick).toFixed(10));
}
