// Simulated provider: a seeded random walk of trades on each contract's tick grid, at a set rate.
import type { ContractSettings, Trade } from '@barstream/core';
import type { MarketDataProvider, ProviderSink } from './provider.ts';
import { seededRandom } from './seeded-random.ts';

export interface SimulatedProviderOptions {
  readonly contracts: readonly ContractSettings[];
  readonly ticksPerSecond: number;
  readonly seed: number;
  /** Emission timer period; trades are spread evenly within it. */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

interface WalkState {
  readonly contract: ContractSettings;
  price: number;
  sequence: number;
}

export class SimulatedProvider implements MarketDataProvider {
  readonly name = 'simulated';
  private timer: NodeJS.Timeout | undefined;
  private readonly random: () => number;
  private readonly walks: WalkState[];
  private owed = 0;
  private nextWalk = 0;
  private lastEmit = 0;

  constructor(private readonly options: SimulatedProviderOptions) {
    this.random = seededRandom(options.seed);
    this.walks = options.contracts.map((contract) => ({
      contract,
      price: roundToTick(contract.start_price ?? 100, contract.tick_size),
      sequence: 0,
    }));
  }

  async start(sink: ProviderSink): Promise<void> {
    if (this.timer) return;
    const now = this.options.now ?? Date.now;
    const interval = this.options.intervalMs ?? 50;
    this.lastEmit = now();
    sink.onConnectionChange(true);
    this.timer = setInterval(() => {
      const t = now();
      this.owed += ((t - this.lastEmit) / 1000) * this.options.ticksPerSecond;
      const count = Math.floor(this.owed);
      this.owed -= count;
      const from = this.lastEmit;
      this.lastEmit = t;
      if (count > 0) sink.onTrades(this.nextTrades(count, from, t));
    }, interval);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** `count` trades spread over (from, to], round-robin over contracts. */
  nextTrades(count: number, from: number, to: number): Trade[] {
    const trades: Trade[] = [];
    for (let i = 0; i < count; i++) {
      const walk = this.walks[this.nextWalk] as WalkState;
      this.nextWalk = (this.nextWalk + 1) % this.walks.length;
      const tick = walk.contract.tick_size;
      // Mostly small moves with an occasional jump, drifting nowhere: looks like a quiet tape.
      const r = this.random();
      const steps = r < 0.45 ? -1 : r < 0.9 ? 1 : r < 0.95 ? -3 : 3;
      walk.price = Math.max(tick, roundToTick(walk.price + steps * tick, tick));
      walk.sequence++;
      trades.push({
        contractId: walk.contract.id,
        time: Math.round((from + ((i + 1) / count) * (to - from)) * 1000) / 1000,
        price: walk.price,
        volume: 1 + Math.floor(this.random() * 5),
        side: steps > 0 ? 'buy' : 'sell',
        tradeId: `${walk.contract.id}-${walk.sequence}`,
      });
    }
    return trades;
  }
}

function roundToTick(price: number, tick: number): number {
  // Round via the tick count, then fix float noise so 5600.25 stays 5600.25.
  return Number((Math.round(price / tick) * tick).toFixed(10));
}
