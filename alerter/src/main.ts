// Alerter entry point: wires config and the service; stops cleanly on SIGTERM/SIGINT.
import { acceptNoArguments, CONFIG_USAGE } from '@barstream/core/command-line';

acceptNoArguments(`Usage: npm run alerter   (npm start runs it for you)

Evaluates the alert rules (config/rules/*.yaml and the rules table) over the closed bars and signals of
the watched contracts as they are stored (LISTEN), stores the alerts and delivers them (webhook;
pg-boss queue with retries and a dead-letter state). /health and /metrics on
alerter.metrics_host:metrics_port (ALERTER_METRICS_PORT).
Needs DATABASE_URL, or the embedded PostgreSQL of \`npm run db\`. Stops on SIGTERM/SIGINT.
${CONFIG_USAGE}`);

// The service's modules load only past its arguments: `--help` answers before them (bench/cli-start.ts).
const [{ createLogger, databaseUrl, loadConfig, runService }, { applyMigrations }, { AlerterService }] = await Promise.all([
  import('@barstream/core/node'),
  import('@barstream/prisma/migrate'),
  import('./alerter-service.ts'),
]);

await runService('alerter', async () => {
  const { settings, rootDir } = loadConfig();
  const logger = createLogger('alerter', settings.logging.level);
  const url = databaseUrl(settings);
  await applyMigrations(url);
  return { logger, service: new AlerterService({ settings, databaseUrl: url, rootDir, logger }) };
});
