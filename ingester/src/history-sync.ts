// Keeps the table complete across (re)connects: backfill the gap, merge forming buckets into live
// aggregation, and repair the connect minute once the vendor has it. One pass at a time. Under leases
// each pass writes with the epochs its contracts were held at when it began (fence-check.ts): a contract
// whose lease moved is neither written nor retried, its refusal counted and logged once.
import {
  type BarAggregator,
  type ContractSettings,
  fixedLengthMs,
  type SessionCalendar,
  type Timeframe,
  type Trade,
} from '@barstream/core';
import { backoffDelay, sleep } from '@barstream/core';
import type { Logger, Pool } from '@barstream/core/node';
import { backfillContract, backfillTimeframes, mergeIntoStored } from './backfill.ts';
import { forEachConcurrently } from './bounded-concurrency.ts';
import { type FenceClaim, type IngestFence, isFenceLost } from './fence-check.ts';
import { LiveWindow, repairConnectMinute } from './connect-repair.ts';
import type { IngestMetrics } from './ingest-metrics.ts';
import type { MarketDataProvider } from './providers/provider.ts';

/** After the connect minute closed: time for the vendor to have finalised its bar. */
const REPAIR_DELAY_MS = 1_000;
/** Contracts backfilled at once: the pool has 4 connections, one stays free for live flushes.
 * Provider rate limits are shared by all of them (the ProjectX client's limiter, Binance's gate). */
const DEFAULT_BACKFILL_CONCURRENCY = 3;

export interface HistorySyncOptions {
  readonly pool: Pool;
  readonly provider: MarketDataProvider;
  readonly aggregator: BarAggregator;
  readonly contracts: readonly ContractSettings[];
  readonly calendars: ReadonlyMap<string, SessionCalendar>;
  readonly timeframes: readonly Timeframe[];
  readonly lookbackMs: number;
  readonly graceMs: number;
  readonly now: () => number;
  readonly logger: Logger;
  readonly metrics: IngestMetrics;
  /** Contracts backfilled concurrently (default 3). */
  readonly concurrency?: number;
  /** Lease fencing of every write (the ingester's flushes' fence); absent when leases are off. */
  readonly fence?: IngestFence;
}

export class HistorySync {
  private chain: Promise<void> = Promise.resolve();
  private readonly windows = new Map<string, LiveWindow>();
  /** Feed drops so far: a connect's repair skips the forming buckets a later drop discarded. */
  private drops = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly stopping = new AbortController();
  private readonly eligible: Timeframe[];
  /** The configured contracts and the ones added since (watchlist). */
  private contracts: ContractSettings[];

  constructor(private readonly options: HistorySyncOptions) {
    const base = options.provider.historyTimeframe;
    this.eligible = base && options.provider.fetchBars ? backfillTimeframes(options.timeframes, base) : [];
    this.contracts = [...options.contracts];
  }

  /** Timeframes rebuilt from history (their stored forming rows need not be reloaded). */
  get backfilledTimeframes(): readonly Timeframe[] {
    return this.eligible;
  }

  onTrade(trade: Trade): void {
    this.windows.get(trade.contractId)?.add(trade.time, trade.price, trade.volume);
  }

  /** The feed dropped: the forming buckets were discarded (the next connect's backfill rebuilds them). */
  onDisconnected(): void {
    this.drops++;
  }

  /** The feed (re)connected at `at`: backfill up to the start of that minute, repair the minute later. */
  onConnected(at: number): Promise<void> {
    return this.sync(at, this.contracts);
  }

  /** A contract joins (the watchlist added it): from now on it is synced on every reconnect; `at` set
   * (the feed is up and now streams it): backfilled and its first minute repaired as on a connect. */
  addContract(contract: ContractSettings, at: number | undefined): Promise<void> {
    if (this.contracts.some((c) => c.id === contract.id)) return Promise.resolve();
    this.contracts.push(contract);
    return at === undefined ? Promise.resolve() : this.sync(at, [contract]);
  }

  removeContract(contractId: string): void {
    this.contracts = this.contracts.filter((c) => c.id !== contractId);
    this.windows.delete(contractId);
  }

  private sync(at: number, contracts: readonly ContractSettings[]): Promise<void> {
    const base = this.options.provider.historyTimeframe;
    const baseLength = base ? fixedLengthMs(base) : undefined;
    if (this.eligible.length === 0 || baseLength === undefined) return Promise.resolve();
    const minuteStart = Math.floor(at / baseLength) * baseLength;
    const claims = this.claims(contracts);
    // Fenced, a contract not leased here now is the holder's to sync.
    const leased = contracts.filter((c) => !this.options.fence || claims.has(c.id));
    for (const c of leased) this.windows.set(c.id, new LiveWindow(at, minuteStart + baseLength, this.drops));
    this.chain = this.chain
      .then(() => this.backfillAll(minuteStart, leased, claims))
      .then(() => {
        // Polled against the market clock (stream time may run faster than wall time in replays).
        const due = minuteStart + baseLength + this.options.graceMs + REPAIR_DELAY_MS;
        const timer = setInterval(() => {
          if (this.options.now() < due) return;
          clearInterval(timer);
          this.timers.delete(timer);
          this.chain = this.chain.then(() => this.repairAll(minuteStart, leased, claims));
        }, 200);
        this.timers.add(timer);
      });
    return this.chain;
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    for (const t of this.timers) clearInterval(t);
    this.timers.clear();
    await this.chain;
  }

  /** Per contract leased here, the claim its writes of this pass check (all of them when leases are off: none). */
  private claims(contracts: readonly ContractSettings[]): Map<string, FenceClaim> {
    const claims = new Map<string, FenceClaim>();
    for (const c of contracts) {
      const claim = this.options.fence?.claimContract(c.id);
      if (claim) claims.set(c.id, claim);
    }
    return claims;
  }

  /** The contract's lease moved since the pass began (its writes would be refused): the holder syncs it. */
  private leaseMoved(claim: FenceClaim | undefined): boolean {
    return claim !== undefined && this.options.fence?.stillHeld(claim) === false;
  }

  /** A write refused by the fence: the lease went to another instance, which syncs the contract from
   * what is stored; counted, logged once, never retried (the fence stops the contract's streaming). */
  private refused(write: 'backfill' | 'repair', contract: ContractSettings, err: unknown): void {
    this.options.fence?.refused(err);
    this.options.metrics.fenceRefused.inc({ write });
    this.options.logger.warn(
      { contract: contract.id, err: (err as Error).message },
      `${write} refused by the lease fence (another instance took the contract); not retried`,
    );
  }

  private async backfillAll(
    historyTo: number,
    contracts: readonly ContractSettings[],
    claims: ReadonlyMap<string, FenceClaim>,
  ): Promise<void> {
    await forEachConcurrently(contracts, this.options.concurrency ?? DEFAULT_BACKFILL_CONCURRENCY, (contract) =>
      this.backfillOne(contract, historyTo, claims.get(contract.id)),
    );
  }

  /** Retries until it succeeds, sync stops or the lease moves: a contract's failure never holds up the others. */
  private async backfillOne(contract: ContractSettings, historyTo: number, claim: FenceClaim | undefined): Promise<void> {
    const { logger, metrics, aggregator, pool } = this.options;
    for (let attempt = 1; !this.stopping.signal.aborted && !this.leaseMoved(claim); attempt++) {
      try {
        const result = await backfillContract(
          { ...this.options, timeframes: this.eligible, claim },
          contract,
          historyTo,
          this.stopping.signal,
        );
        metrics.backfilledBars.inc(result.written);
        for (const bar of result.forming) {
          if (!aggregator.mergeEarlier(bar, this.options.now())) await mergeIntoStored(pool, { ...bar, isClosed: true }, claim);
        }
        break;
      } catch (err) {
        if (this.stopping.signal.aborted) return;
        if (isFenceLost(err)) return this.refused('backfill', contract, err);
        logger.warn({ contract: contract.id, attempt, err: (err as Error).message }, 'backfill failed; retrying');
        await sleep(backoffDelay(attempt, { initialMs: 1_000, maxMs: 60_000 }), this.stopping.signal);
      }
    }
  }

  private async repairAll(
    minuteStart: number,
    contracts: readonly ContractSettings[],
    claims: ReadonlyMap<string, FenceClaim>,
  ): Promise<void> {
    for (const contract of contracts) {
      const claim = claims.get(contract.id);
      // Removed since (the watchlist dropped it, or its lease moved): nothing streams it here any more.
      if (!this.contracts.includes(contract) || this.leaseMoved(claim)) continue;
      const window = this.windows.get(contract.id);
      // A later reconnect replaced the window: that reconnect's own repair handles its minute.
      if (!window || window.from < minuteStart || window.from >= window.to || this.stopping.signal.aborted) continue;
      if (window.to - minuteStart !== fixedLengthMs(this.options.provider.historyTimeframe as Timeframe)) continue;
      this.windows.delete(contract.id);
      const done = new Set<string>();
      for (let attempt = 1; ; attempt++) {
        try {
          await repairConnectMinute(
            {
              ...this.options,
              calendar: this.options.calendars.get(contract.id) as SessionCalendar,
              timeframes: this.eligible,
              nowMs: this.options.now,
              vendorFinalAfterMs: this.options.graceMs + REPAIR_DELAY_MS,
              signal: this.stopping.signal,
              drops: () => this.drops,
              claim,
            },
            contract,
            window,
            minuteStart,
            done,
          );
          this.options.metrics.connectRepairs.inc();
          break;
        } catch (err) {
          if (isFenceLost(err)) {
            this.refused('repair', contract, err);
            break;
          }
          // e.g. the database restarting: the repair is idempotent only once, so it is retried, not re-run later
          this.options.logger.warn(
            { contract: contract.id, attempt, err: (err as Error).message },
            'connect-minute repair failed; retrying',
          );
          if (attempt >= 8 || this.stopping.signal.aborted || this.leaseMoved(claim)) break;
          await sleep(backoffDelay(attempt, { initialMs: 500, maxMs: 10_000 }), this.stopping.signal);
        }
      }
    }
  }
}
