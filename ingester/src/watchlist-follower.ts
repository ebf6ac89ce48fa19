// Follows the watchlist table: a contract added there that this ingester's provider can stream is
// streamed from then on without a restart (backfilled as on a connect); one removed (or switched off)
// stops, unless ingester.contracts names it. Every watchlist_changed NOTIFY — and every reconnect of
// the LISTEN connection, which may have missed some — re-reads the table and reconciles, so the
// outcome never depends on which notifications arrived.
import type { ContractSettings } from '@barstream/core';
import { type Logger, NotificationListener, type Pool } from '@barstream/core/node';

export interface WatchlistFollowerOptions {
  readonly pool: Pool;
  readonly databaseUrl: string;
  readonly logger: Logger;
  /** The contract this ingester would stream for a watchlist id, or why it cannot (another provider, unknown). */
  readonly resolve: (contractId: string) => ContractSettings | string;
  /** Named by ingester.contracts: always streamed, whatever the watchlist says. */
  readonly configured: ReadonlySet<string>;
}

export interface WatchlistActions {
  add(contract: ContractSettings): Promise<void>;
  remove(contractId: string): Promise<void>;
}

export class WatchlistFollower {
  private listener: NotificationListener | undefined;
  private actions: WatchlistActions | undefined;
  /** Contracts streamed because of the watchlist (never the configured ones). */
  private readonly following = new Map<string, ContractSettings>();
  private readonly skipped = new Map<string, string>();
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: WatchlistFollowerOptions) {}

  /** Watchlist contracts to stream from the start (before the provider starts). */
  async initial(): Promise<ContractSettings[]> {
    const wanted = await this.wanted();
    for (const c of wanted.values()) this.following.set(c.id, c);
    return [...wanted.values()];
  }

  get contracts(): readonly string[] {
    return [...this.following.keys()];
  }

  /** LISTENs for changes and applies them through `actions` from now on. */
  async listen(actions: WatchlistActions): Promise<void> {
    this.actions = actions;
    const listener = new NotificationListener({
      connectionString: this.options.databaseUrl,
      channels: ['watchlistChanged'],
      logger: this.options.logger,
      onReconnected: () => this.reconcile(),
    });
    listener.on('watchlistChanged', () => this.reconcile());
    this.listener = listener;
    await listener.start();
    // A change between initial() and LISTEN would otherwise wait for the next one.
    this.reconcile();
    await this.chain;
  }

  async stop(): Promise<void> {
    this.actions = undefined;
    await this.listener?.stop();
    await this.chain;
  }

  private reconcile(): void {
    this.chain = this.chain
      .then(() => this.apply())
      .catch((err: unknown) => {
        this.options.logger.warn(
          { err: (err as Error).message },
          'watchlist: could not apply a change; the next change or reconnect retries',
        );
      });
  }

  private async apply(): Promise<void> {
    const actions = this.actions;
    if (!actions) return;
    const wanted = await this.wanted();
    for (const [id] of this.following) {
      if (wanted.has(id)) continue;
      await actions.remove(id);
      this.following.delete(id);
      this.options.logger.info({ contract: id }, 'watchlist: contract removed, no longer streamed');
    }
    for (const [id, contract] of wanted) {
      if (this.following.has(id)) continue;
      await actions.add(contract);
      this.following.set(id, contract);
      this.options.logger.info({ contract: id }, 'watchlist: contract added, streaming it');
    }
  }

  /** Active watchlist contracts this ingester can stream and does not stream anyway. */
  private async wanted(): Promise<Map<string, ContractSettings>> {
    const { rows } = await this.options.pool.query<{ contract_id: string }>(
      'SELECT contract_id FROM watchlist WHERE is_active ORDER BY added_at, contract_id',
    );
    const wanted = new Map<string, ContractSettings>();
    for (const { contract_id: id } of rows) {
      if (this.options.configured.has(id)) continue;
      const resolved = this.options.resolve(id);
      if (typeof resolved === 'string') {
        // Said once per reason: a contract of another provider stays on the watchlist for the alerts.
        if (this.skipped.get(id) !== resolved)
          this.options.logger.info({ contract: id, why: resolved }, 'watchlist: not streamed by this ingester');
        this.skipped.set(id, resolved);
        continue;
      }
      wanted.set(id, resolved);
    }
    return wanted;
  }
}
