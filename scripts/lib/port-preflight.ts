// Before `npm start` starts anything: every port it is about to listen on is free, or one line names
// the setting (and env variable) to change.
import { createServer, type Server } from 'node:net';
import type { Settings } from '@barstream/core';

export interface PortClaim {
  readonly setting: string;
  readonly env: string;
  readonly host: string;
  readonly port: number;
}

/** The ports `npm start` listens on; the database's only when it runs the embedded server. */
export function supervisorPorts(settings: Settings, embeddedDatabase: boolean): PortClaim[] {
  const claims: PortClaim[] = [
    { setting: 'web.port', env: 'WEB_PORT', host: settings.web.host, port: settings.web.port },
    { setting: 'broadcaster.port', env: 'WEBSOCKET_PORT', host: settings.broadcaster.host, port: settings.broadcaster.port },
    {
      setting: 'ingester.metrics_port',
      env: 'INGESTER_METRICS_PORT',
      host: settings.ingester.metrics_host,
      port: settings.ingester.metrics_port,
    },
    {
      setting: 'analyzer.metrics_port',
      env: 'ANALYZER_METRICS_PORT',
      host: settings.analyzer.metrics_host,
      port: settings.analyzer.metrics_port,
    },
    {
      setting: 'trader.metrics_port',
      env: 'TRADER_METRICS_PORT',
      host: settings.trader.metrics_host,
      port: settings.trader.metrics_port,
    },
    {
      setting: 'broadcaster.metrics_port',
      env: 'BROADCASTER_METRICS_PORT',
      host: settings.broadcaster.host,
      port: settings.broadcaster.metrics_port,
    },
    {
      setting: 'alerter.metrics_port',
      env: 'ALERTER_METRICS_PORT',
      host: settings.alerter.metrics_host,
      port: settings.alerter.metrics_port,
    },
  ];
  // The embedded server listens on 127.0.0.1 (scripts/lib/embedded-database.ts).
  if (embeddedDatabase)
    claims.unshift({
      setting: 'database.embedded_port',
      env: 'EMBEDDED_PG_PORT',
      host: '127.0.0.1',
      port: settings.database.embedded_port,
    });
  // Port 0 asks the system for any free port: nothing to check.
  return claims.filter((c) => c.port !== 0);
}

/** The first claim that cannot be served, as one line; undefined when all are free. Each port is
 * bound in turn and held until all are checked, so two settings sharing a port are caught too. */
export async function findTakenPort(claims: readonly PortClaim[]): Promise<string | undefined> {
  const held: Server[] = [];
  try {
    for (const claim of claims) {
      const twin = claims.find((c) => c !== claim && c.port === claim.port && claims.indexOf(c) < claims.indexOf(claim));
      if (twin) return `${claim.setting} and ${twin.setting} are both port ${claim.port}: set ${claim.env} to another port`;
      const error = await listen(claim.host, claim.port, held);
      if (error) {
        const why = error === 'EADDRINUSE' ? 'is taken' : `cannot be used (${error})`;
        return `port ${claim.port} on ${claim.host} (${claim.setting}) ${why}: set ${claim.env} to a free port, or stop what listens there`;
      }
    }
    return undefined;
  } finally {
    await Promise.all(held.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

function listen(host: string, port: number, held: Server[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    server.listen({ host, port, exclusive: true }, () => {
      held.push(server);
      resolve(undefined);
    });
  });
}
