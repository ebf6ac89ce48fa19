// Simulated provider: replays the deterministic SimulatedMarket in real time, with its history, in
// the minutes each contract's market is open (CME contracts pause at night's halt, weekends, holidays).
import { type ContractSettings, type OhlcBar, parseTimeframe, type Timeframe } from '@barstream/core';
import type { MarketDataProvider, ProviderSink } from './provider.ts';
import { SimulatedMarket } from './simulated-market.ts';

const HISTORY_CHUNK_MS = 3_600_000;
const MINUTE_MS = 60_000;

export interface SimulatedProviderOptions {
  readonly contracts: readonly ContractSettings[];
  /** Across all contracts, on average. */
  readonly ticksPerSecond: number;
  readonly seed: number;
  /** Emission timer period. */
  readonly intervalMs?: number;
  readonly now?: () => number;
  /** Whether the contract's market trades in the minute starting at `minuteStart` (its session
   * calendar); default always. Live trades and history follow the same rule, for configured
   * contracts and those the watchlist adds. */
  readonly isOpen?: (contract: ContractSettings, minuteStart: number) => boolean;
}

export class SimulatedProvider implements MarketDataProvider {
  readonly name = 'simulated';
  readonly historyTimeframe: Timeframe = parseTimeframe('1m');
  private timer: NodeJS.Timeout | undefined;
  private readonly market: SimulatedMarket;
  private lastEmit = 0;
  /** The configured contracts and the ones added since (watchlist). */
  private contracts: ContractSettings[];

  constructor(private readonly options: SimulatedProviderOptions) {
    // The per-contract rate is fixed at start: adding a contract does not slow the others.
    const perContract = options.ticksPerSecond / Math.max(1, options.contracts.length);
    this.market = new SimulatedMarket(options.seed, perContract * 60);
    this.contracts = [...options.contracts];
  }

  async start(sink: ProviderSink): Promise<void> {
    if (this.timer) return;
    const now = this.options.now ?? Date.now;
    this.lastEmit = now();
    this.timer = setInterval(() => {
      const t = now();
      const trades = this.contracts.flatMap((c) =>
        this.market.tradesBetween(c, this.lastEmit, t).filter((trade) => this.trades(c, trade.time)),
      );
      this.lastEmit = t;
      if (trades.length > 0) sink.onTrades(trades.sort((a, b) => a.time - b.time));
    }, this.options.intervalMs ?? 50);
    sink.onConnectionChange(true);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async addContract(contract: ContractSettings): Promise<void> {
    if (!this.contracts.some((c) => c.id === contract.id)) this.contracts.push(contract);
  }

  async removeContract(contractId: string): Promise<void> {
    this.contracts = this.contracts.filter((c) => c.id !== contractId);
  }

  async fetchBars(contractId: string, timeframe: Timeframe, fromMs: number, toMs: number): Promise<OhlcBar[]> {
    if (timeframe.unit !== 2 || timeframe.value !== 1) throw new RangeError('simulated history is served in 1m bars');
    const contract = this.contracts.find((c) => c.id === contractId);
    if (!contract) throw new RangeError(`simulated provider has no contract ${contractId}`);
    // Only complete minutes: the current one is still trading.
    const currentMinute = Math.floor((this.options.now ?? Date.now)() / 60_000) * 60_000;
    const end = Math.min(toMs, currentMinute);
    // Days of history are generated an hour at a time, letting the event loop in between: the live
    // feed, flushes and /health keep going while a backfill runs.
    const bars: OhlcBar[] = [];
    for (let from = fromMs; from < end; from += HISTORY_CHUNK_MS) {
      if (from > fromMs) await new Promise((resolve) => setImmediate(resolve));
      bars.push(
        ...this.market.minuteBars(contract, from, Math.min(end, from + HISTORY_CHUNK_MS)).filter((bar) => this.trades(contract, bar.time)),
      );
    }
    return bars;
  }

  private trades(contract: ContractSettings, ms: number): boolean {
    return this.options.isOpen ? this.options.isOpen(contract, Math.floor(ms / MINUTE_MS) * MINUTE_MS) : true;
  }
}
