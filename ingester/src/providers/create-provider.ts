// Chooses the provider named by ingester.provider (or INGEST_PROVIDER).
import { ConfigError, type ContractSettings, type Settings } from '@barstream/core';
import type { MarketDataProvider } from './provider.ts';
import { SimulatedProvider } from './simulated-provider.ts';

export function createProvider(settings: Settings, contracts: readonly ContractSettings[]): MarketDataProvider {
  switch (settings.ingester.provider) {
    case 'simulated':
      return new SimulatedProvider({ contracts, ticksPerSecond: settings.ingester.simulated.ticks_per_second,
        seed: settings.ingester.simulated.seed });
    default:
      throw new ConfigError(`ingester.provider: '${settings.ingester.provider}' is not available in this build`);
  }
}
