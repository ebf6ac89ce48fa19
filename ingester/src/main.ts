// Ingester entry point: wires config, provider and service; stops cleanly on SIGTERM/SIGINT.
import { ingestContracts } from '@barstream/core';
import { createLogger, databaseUrl, loadConfig } from '@barstream/core/node';
import { applyMigrations } from '@barstream/prisma';
import { IngesterService } from './ingester-service.ts';
import { createProvider } from './providers/create-provider.ts';
import { runService } from '@barstream/core/node';

await runService('ingester', async () => {
  const { settings } = loadConfig();
  const logger = createLogger('ingester', settings.logging.level);
  const url = databaseUrl(settings);
  await applyMigrations(url);
  const contracts = ingestContracts(settings);
  const service = new IngesterService({ settings, databaseUrl: url, contracts, logger,
    provider: createProvider(settings, contracts) });
  return { logger, service };
});
