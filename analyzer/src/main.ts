// Analyzer entry point: wires config and the service; stops cleanly on SIGTERM/SIGINT.
import { acceptNoArguments, CONFIG_USAGE, createLogger, databaseUrl, loadConfig, runService } from '@barstream/core/node';
import { applyMigrations } from '@barstream/prisma/migrate';
import { AnalyzerService } from './analyzer-service.ts';

acceptNoArguments(`Usage: npm run start -w analyzer   (npm start runs it for you)

Runs the strategies in analyzer.targets over closed bars as they are stored (LISTEN) and on
analyzer.sweep_cron, and stores the signals. /health and /metrics on
analyzer.metrics_host:metrics_port (ANALYZER_METRICS_PORT).
Needs DATABASE_URL, or the embedded PostgreSQL of \`npm run db\`. Stops on SIGTERM/SIGINT.
${CONFIG_USAGE}`);

await runService('analyzer', async () => {
  const { settings } = loadConfig();
  const logger = createLogger('analyzer', settings.logging.level);
  const url = databaseUrl(settings);
  await applyMigrations(url);
  return { logger, service: new AnalyzerService({ settings, databaseUrl: url, logger }) };
});
