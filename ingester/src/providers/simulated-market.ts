// A deterministic simulated market: every trade is a pure function of (seed, contract, minute), so
// the live stream and the provider's history agree exactly (restarts backfill without a seam).
import type { ContractSettings, OhlcBar, Trade } from '@barstream/core';
import { seededRandom } from './seeded-random.ts';

const MINUTE_MS = 60_000;
/** Smooth-noise octaves (period in minutes, relative amplitude): slow trend to minute wiggles. */
const OCTAVES: ReadonlyArray<readonly [number, number]> = [[4096, 0.03], [1024, 0.012], [256, 0.006], [64, 0.003], [16, 0.0012], [4, 0.0005]];

export class SimulatedMarket {
  private readonly cache = new Map<string, Trade[]>();

  /** @param tradesPerMinute per contract */
  constructor(private readonly seed: number, private readonly tradesPerMinute: number) {}

  /** The trades of `contract` in the minute starting at `minuteStart` (epoch ms, aligned). */
  minuteTrades(contract: ContractSettings, minuteStart: number): Trade[] {
    const key = `${contract.id}|${minuteStart}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const trades = this.generate(contract, minuteStart);
    if (this.cache.size > 64) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, trades);
    return trades;
  }

  /** Trades with time in (fromMs, toMs], in time order. */
  tradesBetween(contract: ContractSettings, fromMs: number, toMs: number): Trade[] {
    const out: Trade[] = [];
    for (let m = Math.floor(fromMs / MINUTE_MS) * MINUTE_MS; m <= toMs; m += MINUTE_MS) {
      for (const t of this.minuteTrades(contract, m)) if (t.time > fromMs && t.time <= toMs) out.push(t);
    }
    return out;
  }

  /** 1-minute bars for minutes starting in [fromMs, toMs): exactly the aggregate of the trades.
   * Aggregated while the trades are generated, without making them: a backfill asks for days of
   * minutes (72 h of three contracts at 400 trades a minute is 5 million trades), and allocating
   * each one held the ingester's event loop for seconds at start. */
  minuteBars(contract: ContractSettings, fromMs: number, toMs: number): OhlcBar[] {
    const bars: OhlcBar[] = [];
    for (let m = Math.ceil(fromMs / MINUTE_MS) * MINUTE_MS; m < toMs; m += MINUTE_MS) {
      let open = NaN, close = NaN, high = -Infinity, low = Infinity, volume = 0;
      this.walk(contract, m, (i, _time, price, size) => {
        if (i === 0) open = price;
        close = price;
        if (price > high) high = price;
        if (price < low) low = price;
        volume += size;
      });
      bars.push({ time: m, open, high, low, close, volume });
    }
    return bars;
  }

  private generate(contract: ContractSettings, minuteStart: number): Trade[] {
    const trades: Trade[] = [];
    this.walk(contract, minuteStart, (i, time, price, volume, side) => {
      trades.push({ contractId: contract.id, time, price, volume, side, tradeId: `${contract.id}-${minuteStart / MINUTE_MS}-${i}` });
    });
    return trades;
  }

  /** Visits the trades of one minute in order (at least one): the one definition of what they are. */
  private walk(contract: ContractSettings, minuteStart: number,
    visit: (i: number, time: number, price: number, volume: number, side: Trade['side']) => void): void {
    const random = seededRandom(hash(this.seed, contract.id, minuteStart / MINUTE_MS));
    const tick = contract.tick_size;
    const from = this.anchor(contract, minuteStart);
    const to = this.anchor(contract, minuteStart + MINUTE_MS);
    const n = Math.max(1, Math.round(this.tradesPerMinute * (0.5 + random())));
    const noise = Math.max(2, Math.round((Math.abs(to - from) / tick) * 0.5 + 2));
    for (let i = 0; i < n; i++) {
      const f = (i + 1) / n;
      // A bridge from this minute's anchor to the next: the last trade lands exactly on it.
      const wiggle = i === n - 1 ? 0 : Math.round((random() - 0.5) * 2 * noise * Math.sin(Math.PI * f));
      const price = roundToTick(from + (to - from) * f + wiggle * tick, tick);
      const time = Math.round((minuteStart + ((i + random() * 0.9 + 0.05) / n) * MINUTE_MS) * 1000) / 1000;
      const volume = 1 + Math.floor(random() * random() * 20);
      visit(i, time, Math.max(tick, price), volume, random() < 0.5 ? 'buy' : 'sell');
    }
  }

  /** Price level at a minute boundary: layered smooth noise around the contract's start price. */
  private anchor(contract: ContractSettings, minuteStart: number): number {
    const m = minuteStart / MINUTE_MS;
    let level = 0;
    for (const [period, amplitude] of OCTAVES) level += amplitude * smoothNoise(hash(this.seed, contract.id, period), m / period);
    return roundToTick((contract.start_price ?? 100) * (1 + level), contract.tick_size);
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
