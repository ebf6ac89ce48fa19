// Which contracts this ingester streams, by lease (docs/DEPLOY.md "Standbys and scale-out"): one lease
// per contract when the provider can add and drop contracts live, else one lease for the whole feed
// (a replay), so a second ingester waits as a hot standby and several split the contracts.
import type { ContractSettings } from '@barstream/core';
import { LeaseManager, type Logger } from '@barstream/core/node';
import { IngestFence } from './fence-check.ts';

/** The unit leased when the provider streams all its contracts or none. */
export const WHOLE_FEED_UNIT = 'feed';

/** What the ingester does when a contract's lease comes or goes. */
export interface ContractStreaming {
  /** Stream it, resuming from storage (backfill of the gap as on a reconnect). */
  take(contract: ContractSettings): Promise<void>;
  /** Stop streaming it and store what is buffered of it. */
  drop(contractId: string): Promise<void>;
  /** The contracts streamed now. */
  streaming(): readonly string[];
}

export interface ContractLeasesOptions {
  readonly databaseUrl: string;
  readonly retryMs: number;
  readonly logger: Logger;
  /** Per contract: the provider can add and remove contracts while streaming. */
  readonly perContract: boolean;
  readonly contracts: readonly ContractSettings[];
  /** The whole feed's lease was lost (taken by another instance while disconnected). */
  readonly onFeedLost: () => void;
}

export class ContractLeases {
  readonly manager: LeaseManager;
  private readonly byId: Map<string, ContractSettings>;
  private readonly ingestFence: IngestFence;
  /** Contracts stopped because a write was refused (their lease moved): the lease manager's own
   * release of them, once it notices, has nothing left to stop. */
  private readonly refused = new Set<string>();
  private feedLost = false;
  private target: ContractStreaming | undefined;
  private stopping = false;

  constructor(private readonly options: ContractLeasesOptions) {
    this.byId = new Map(options.contracts.map((c) => [c.id, c]));
    this.manager = new LeaseManager({
      service: 'ingester',
      databaseUrl: options.databaseUrl,
      retryMs: options.retryMs,
      logger: options.logger,
      // A take waits for the dead holder's flush under way, or makes it fail (fence-check.ts).
      fenced: true,
      units: () => (options.perContract ? [...this.byId.keys()] : [WHOLE_FEED_UNIT]),
      handler: {
        acquired: (unit) => this.acquired(unit),
        released: (unit) => this.released(unit),
      },
    });
    this.ingestFence = new IngestFence((unit) => this.manager.epochOf(unit), options.perContract ? undefined : WHOLE_FEED_UNIT);
    this.ingestFence.onLost((units) => void this.lost(units));
  }

  get perContract(): boolean {
    return this.options.perContract;
  }

  /** What every write checks (flushes, backfill, repair): the leases of the contracts it writes, at the
   * epochs taken. One for all of them: a refusal any of them meets stops the others' writes of it too. */
  fence(): IngestFence {
    return this.ingestFence;
  }

  /** Runs the first lease cycle; for a whole-feed lease, waits until this instance holds it. */
  async start(stopped: () => boolean): Promise<void> {
    await this.manager.start();
    while (!this.options.perContract && !this.manager.holds(WHOLE_FEED_UNIT) && !stopped()) {
      await new Promise((resolve) => setTimeout(resolve, this.options.retryMs));
    }
  }

  /** The contracts to stream from the start. */
  heldContracts(): ContractSettings[] {
    if (!this.options.perContract) return [...this.byId.values()];
    return [...this.byId.values()].filter((c) => this.manager.holds(c.id));
  }

  /** From now on leases start and stop contracts; what changed since heldContracts() is applied now. */
  async attach(target: ContractStreaming): Promise<void> {
    this.target = target;
    if (!this.options.perContract) return;
    const streaming = new Set(target.streaming());
    for (const id of streaming) if (!this.manager.holds(id)) await target.drop(id);
    for (const id of this.manager.held) {
      const contract = this.byId.get(id);
      if (contract && !streaming.has(id)) await target.take(contract);
    }
  }

  /** A watchlist addition: one more unit to lease. */
  async add(contract: ContractSettings): Promise<void> {
    this.byId.set(contract.id, contract);
    await this.manager.poke();
  }

  /** A watchlist removal: its lease is handed back on the next cycle (stopping it). */
  async remove(contractId: string): Promise<void> {
    this.byId.delete(contractId);
    await this.manager.poke();
  }

  /** Ends the lease session once the ingester stored everything (the locks go with it). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.manager.stop();
  }

  /** A write was refused: another instance took these units (its take read what is stored, so what is
   * buffered here of them is its to resume). Their streaming stops now, not at the lease manager's next
   * cycle, which then notices the lost session and forgets them; the whole feed: the ingester stops. */
  private async lost(units: readonly string[]): Promise<void> {
    this.options.logger.warn({ units }, 'lease fence refused a write: another instance took these; they stop here');
    if (!this.options.perContract) {
      if (this.feedLost || this.stopping) return;
      this.feedLost = true;
      return this.options.onFeedLost();
    }
    for (const unit of units) {
      // Before attach() nothing streams by lease yet: attach() or the manager's release stops it (as it
      // did already for a unit it no longer holds).
      const target = this.target;
      if (!target || this.refused.has(unit) || !this.byId.has(unit) || !this.manager.holds(unit)) continue;
      this.refused.add(unit);
      try {
        await target.drop(unit);
      } catch (err) {
        this.options.logger.warn({ unit, err: (err as Error).message }, 'stopping a contract whose lease moved failed');
      }
    }
    await this.manager.poke();
  }

  private async acquired(unit: string): Promise<void> {
    // Taken afresh (a new epoch): streamed again like any take.
    this.refused.delete(unit);
    const contract = this.byId.get(unit);
    if (this.options.perContract && contract) await this.target?.take(contract);
  }

  private async released(unit: string): Promise<void> {
    // Stopping: the ingester's own stop stores everything before the session ends.
    if (this.stopping) return;
    if (!this.options.perContract) {
      if (this.feedLost) return;
      this.feedLost = true;
      return this.options.onFeedLost();
    }
    // Stopped already when a write was refused.
    if (this.refused.delete(unit)) return;
    await this.target?.drop(unit);
  }
}
