// Broadcaster entry point: wires config and the service; stops cleanly on SIGTERM/SIGINT.
import { acceptNoArguments, CONFIG_USAGE, createLogger, databaseUrl, loadConfig, runService } from '@barstream/core/node';
import { applyMigrations } from '@barstream/prisma/migrate';
import { BroadcasterService } from './broadcaster-service.ts';

acceptNoArguments(`Usage: npm run start -w broadcaster   (npm start runs it for you)

Relays stored bars, ticks and signals (LISTEN) to WebSocket clients on
broadcaster.host:port (WEBSOCKET_PORT). /health and /metrics on broadcaster.metrics_port
(BROADCASTER_METRICS_PORT).
Needs DATABASE_URL, or the embedded PostgreSQL of \`npm run db\`. Stops on SIGTERM/SIGINT.
${CONFIG_USAGE}`);

await runService('broadcaster', async () => {
  const { settings } = loadConfig();
  const logger = createLogger('broadcaster', settings.logging.level);
  const url = databaseUrl(settings);
  await applyMigrations(url);
  return { logger, service: new BroadcasterService({ settings, databaseUrl: url, logger }) };
});
