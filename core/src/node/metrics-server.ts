// /metrics (Prometheus text from prom-client) and /health (JSON) for a service, on its own port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createDatabaseProbe } from './database-probe.ts';

export interface HealthReport {
  readonly ok: boolean;
  readonly [key: string]: unknown;
}

export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startMetricsServer(options: {
  registry: Registry;
  health: () => HealthReport | Promise<HealthReport>;
  host: string;
  port: number;
  /** When given, /health also asks this database, and answers 503 with `ok: false` while it cannot. */
  databaseUrl?: string;
}): Promise<MetricsServer> {
  const probe = options.databaseUrl === undefined ? undefined : createDatabaseProbe(options.databaseUrl);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = async (): Promise<void> => {
      if (path === '/metrics') {
        res.writeHead(200, { 'content-type': options.registry.contentType });
        res.end(await options.registry.metrics());
      } else if (path === '/health') {
        const [own, unreachable] = await Promise.all([options.health(), probe?.check()]);
        const report: HealthReport =
          probe === undefined
            ? own
            : {
                ...own,
                ok: own.ok && unreachable === undefined,
                database: unreachable === undefined ? 'ok' : `unreachable: ${unreachable}`,
              };
        res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify(report));
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'not found: try /metrics or /health' }));
      }
    };
    reply().catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: (err as Error).message }));
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => resolve());
    });
  } catch (err) {
    await probe?.close();
    throw err;
  }
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await probe?.close();
    },
  };
}
