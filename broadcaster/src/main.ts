// Broadcaster entry point: wires config and the service; stops cleanly on SIGTERM/SIGINT.
import { acceptNoArguments, authSecret, CONFIG_USAGE, createLogger, databaseUrl, loadConfig, runService } from '@barstream/core/node';
import { applyMigrations } from '@barstream/prisma/migrate';
import { BroadcasterService } from './broadcaster-service.ts';

acceptNoArguments(`Usage: npm run start -w broadcaster   (npm start runs it for you)

Relays stored bars, ticks and signals (LISTEN) to WebSocket clients on
broadcaster.host:port (WEBSOCKET_PORT). /health and /metrics on broadcaster.metrics_port
(BROADCASTER_METRICS_PORT).
Needs DATABASE_URL, or the embedded PostgreSQL of \`npm run db\`. Stops on SIGTERM/SIGINT.
${CONFIG_USAGE}`);

await runService('broadcaster', async () => {
  const { settings, rootDir } = loadConfig();
  const logger = createLogger('broadcaster', settings.logging.level);
  const url = databaseUrl(settings);
  await applyMigrations(url);
  // The web signs tickets with the same secret; without a token or auth.mode all, none are asked for.
  const ticketSecret = settings.broadcaster.token !== undefined || settings.auth.mode === 'all' ? authSecret(settings, rootDir) : undefined;
  return { logger, service: new BroadcasterService({ settings, databaseUrl: url, logger, ticketSecret }) };
});
