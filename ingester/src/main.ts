// Ingester entry point: wires config, provider and service; stops cleanly on SIGTERM/SIGINT.
import { ingestContracts } from '@barstream/core';
import { acceptNoArguments, CONFIG_USAGE, createLogger, databaseUrl, loadConfig, runService } from '@barstream/core/node';
import { applyMigrations } from '@barstream/prisma/migrate';
import { IngesterService } from './ingester-service.ts';
import { createProvider, replaySpeedOf } from './providers/create-provider.ts';

acceptNoArguments(`Usage: npm run start -w ingester   (npm start runs it for you)

Takes trades from the provider in ingester.provider (simulated, replay, binance, coinbase, projectx, alpaca), builds bars
for every timeframe in ingester.timeframes, stores ticks and bars in PostgreSQL and announces them
(NOTIFY). /health and /metrics on ingester.metrics_host:metrics_port (INGESTER_METRICS_PORT).
Needs DATABASE_URL, or the embedded PostgreSQL of \`npm run db\`. Stops on SIGTERM/SIGINT.
${CONFIG_USAGE}`);

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
