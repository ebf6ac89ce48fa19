// Ingester entry point: wires config, provider and service; stops cleanly on SIGTERM/SIGINT.
import { acceptNoArguments, CONFIG_USAGE } from '@barstream/core/command-line';

acceptNoArguments(`Usage: npm run start -w ingester   (npm start runs it for you)

Takes trades from the provider in ingester.provider (simulated, replay, binance, coinbase, projectx, alpaca), builds bars
for every timeframe in ingester.timeframes, stores ticks and bars in PostgreSQL and announces them
(NOTIFY). /health and /metrics on ingester.metrics_host:metrics_port (INGESTER_METRICS_PORT).
Needs DATABASE_URL, or the embedded PostgreSQL of \`npm run db\`. Stops on SIGTERM/SIGINT.
${CONFIG_USAGE}`);

// The service's modules load only past its arguments: `--help` answers before them (bench/cli-start.ts).
const [
  { ingestContracts },
  { createLogger, databaseUrl, loadConfig, runService },
  { applyMigrations },
  { IngesterService },
  { createProvider, replaySpeedOf },
] = await Promise.all([
  import('@barstream/core'),
  import('@barstream/core/node'),
  import('@barstream/prisma/migrate'),
  import('./ingester-service.ts'),
  import('./providers/create-provider.ts'),
]);

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
