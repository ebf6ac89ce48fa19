// Broadcaster entry point: wires config and the service; stops cleanly on SIGTERM/SIGINT.
import { acceptNoArguments, CONFIG_USAGE } from '@barstream/core/command-line';

acceptNoArguments(`Usage: npm run start -w broadcaster   (npm start runs it for you)

Relays stored bars, ticks and signals (LISTEN) to WebSocket clients on
broadcaster.host:port (WEBSOCKET_PORT). /health and /metrics on broadcaster.metrics_port
(BROADCASTER_METRICS_PORT).
Needs DATABASE_URL, or the embedded PostgreSQL of \`npm run db\`. Stops on SIGTERM/SIGINT.
${CONFIG_USAGE}`);

// The service's modules load only past its arguments: `--help` answers before them (bench/cli-start.ts).
const [{ authSecret, createLogger, databaseUrl, loadConfig, runService }, { applyMigrations }, { BroadcasterService }] = await Promise.all([
  import('@barstream/core/node'),
  import('@barstream/prisma/migrate'),
  import('./broadcaster-service.ts'),
]);

await runService('broadcaster', async () => {
  const { settings, rootDir } = loadConfig();
  const logger = createLogger('broadcaster', settings.logging.level);
  const url = databaseUrl(settings);
  await applyMigrations(url);
  // The web signs tickets with the same secret; without a token or auth.mode all, none are asked for.
  const ticketSecret = settings.broadcaster.token !== undefined || settings.auth.mode === 'all' ? authSecret(settings, rootDir) : undefined;
  return { logger, service: new BroadcasterService({ settings, databaseUrl: url, logger, ticketSecret }) };
});
