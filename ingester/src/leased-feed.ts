// The provider's feed under contract leases: it runs only while this ingester holds at least one
// contract (a standby holding none opens no connection, and some venues refuse an empty
// subscription), and contracts join and leave it as their leases come and go.
import type { ContractSettings } from '@barstream/core';
import type { MarketDataProvider, ProviderSink } from './providers/provider.ts';

export class LeasedFeed {
  private sink: ProviderSink | undefined;
  private running = false;
  private readonly ids: Set<string>;

  /** `held`: the contracts streamed from the start; the provider was told to drop the others. */
  constructor(
    private readonly provider: MarketDataProvider,
    held: readonly string[],
  ) {
    this.ids = new Set(held);
  }

  async start(sink: ProviderSink): Promise<void> {
    this.sink = sink;
    if (this.ids.size > 0) await this.open();
  }

  async add(contract: ContractSettings): Promise<void> {
    this.ids.add(contract.id);
    await this.provider.addContract?.(contract);
    if (!this.running && this.sink) await this.open();
  }

  async remove(contractId: string): Promise<void> {
    this.ids.delete(contractId);
    if (this.ids.size > 0 || !this.running) return this.provider.removeContract?.(contractId);
    // The last one: the feed closes (reopened, with a backfill as on any reconnect, when one comes back).
    this.running = false;
    await this.provider.stop();
    await this.provider.removeContract?.(contractId);
    this.sink?.onConnectionChange(false);
  }

  private async open(): Promise<void> {
    this.running = true;
    await this.provider.start(this.sink as ProviderSink);
  }
}
