// Analyzer entry point: wires config and the service; stops cleanly on SIGTERM/SIGINT.
import { acceptNoArguments, CONFIG_USAGE } from '@barstream/core/command-line';

acceptNoArguments(`Usage: npm run start -w analyzer   (npm start runs it for you)

Runs the strategies in analyzer.targets over closed bars as they are stored (LISTEN) and on
analyzer.sweep_cron, and stores the signals. /health and /metrics on
analyzer.metrics_host:metrics_port (ANALYZER_METRICS_PORT).
Needs DATABASE_URL, or the embedded PostgreSQL of \`npm run db\`. Stops on SIGTERM/SIGINT.
${CONFIG_USAGE}`);

// The service's modules load only past its arguments: `--help` answers before them (bench/cli-start.ts).
const [{ createLogger, databaseUrl, loadConfig, runService }, { applyMigrations }, { AnalyzerService }] = await Promise.all([
  import('@barstream/core/node'),
  import('@barstream/prisma/migrate'),
  import('./analyzer-service.ts'),
]);

await runService('analyzer', async () => {
  const { settings } = loadConfig();
  const logger = createLogger('analyzer', settings.logging.level);
  const url = databaseUrl(settings);
  await applyMigrations(url);
  return { logger, service: new AnalyzerService({ settings, databaseUrl: url, logger }) };
});
