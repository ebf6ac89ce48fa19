// Ingester entry point: wires config, provider and service; stops cleanly on SIGTERM/SIGINT.
import { ingestContracts } from '@barstream/core';
import { createLogger, databaseUrl, loadConfig, runService } from '@barstream/core/node';
import { applyMigrations } from '@barstream/prisma';
import { IngesterService } from './ingester-service.ts';
import { createProvider, replaySpeedOf } from './providers/create-provider.ts';

await runService('ingester', async () => {
  const { settings, rootDir } = loadConfig();
  const logger = createLogger('ingester', settings.logging.level);
  const url = databaseUrl(settings);
  await applyMigrations(url);
  const contracts = ingestContracts(settings);
  const provider = createProvider(settings, contracts, logger, rootDir);
  const service = new IngesterService({ settings, databaseUrl: url, contracts, logger, provider, replaySpeed: replaySpeedOf(settings) });
  return { logger, service };
});
