// Trader entry point: wires config and the service; stops cleanly on SIGTERM/SIGINT.
import { acceptNoArguments, CONFIG_USAGE } from '@barstream/core/command-line';

acceptNoArguments(`Usage: npm run start -w trader   (npm start runs it for you)

Runs the paper strategy runs (config/strategies/*.yaml with mode: paper, and runs started through the
API) on closed bars and signals as they are stored (LISTEN), and the backtests created through the API.
/health and /metrics on trader.metrics_host:metrics_port (TRADER_METRICS_PORT).
Needs DATABASE_URL, or the embedded PostgreSQL of \`npm run db\`. Stops on SIGTERM/SIGINT.
${CONFIG_USAGE}`);

// The service's modules load only past its arguments: `--help` answers before them (bench/cli-start.ts).
const [{ createLogger, databaseUrl, loadConfig, runService }, { applyMigrations }, { TraderService }] = await Promise.all([
  import('@barstream/core/node'),
  import('@barstream/prisma/migrate'),
  import('./trader-service.ts'),
]);

await runService('trader', async () => {
  const { settings, rootDir } = loadConfig();
  const logger = createLogger('trader', settings.logging.level);
  const url = databaseUrl(settings);
  await applyMigrations(url);
  return { logger, service: new TraderService({ settings, rootDir, databaseUrl: url, logger }) };
});
