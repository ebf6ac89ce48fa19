// Broadcaster entry point: wires config and the service; stops cleanly on SIGTERM/SIGINT.
import { createLogger, databaseUrl, loadConfig, runService } from '@barstream/core/node';
import { applyMigrations } from '@barstream/prisma';
import { BroadcasterService } from './broadcaster-service.ts';

await runService('broadcaster', async () => {
  const { settings } = loadConfig();
  const logger = createLogger('broadcaster', settings.logging.level);
  const url = databaseUrl(settings);
  await applyMigrations(url);
  return { logger, service: new BroadcasterService({ settings, databaseUrl: url, logger }) };
});
