// Analyzer entry point: wires config and the service; stops cleanly on SIGTERM/SIGINT.
import { createLogger, databaseUrl, loadConfig, runService } from '@barstream/core/node';
import { applyMigrations } from '@barstream/prisma';
import { AnalyzerService } from './analyzer-service.ts';

await runService('analyzer', async () => {
  const { settings } = loadConfig();
  const logger = createLogger('analyzer', settings.logging.level);
  const url = databaseUrl(settings);
  await applyMigrations(url);
  return { logger, service: new AnalyzerService({ settings, databaseUrl: url, logger }) };
});
