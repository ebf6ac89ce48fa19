// The broadcaster: LISTEN on the bar, tick and signal channels and fan each message out to clients.
import type { Settings } from '@barstream/core';
import { createMetricsRegistry, type Logger, type MetricsServer, NotificationListener, startMetricsServer } from '@barstream/core/node';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { FanoutServer } from './fanout-server.ts';
import { timeframeKey } from './subscriptions.ts';

export interface BroadcasterServiceOptions {
  readonly settings: Settings;
  readonly databaseUrl: string;
  readonly logger: Logger;
  /** Overrides for tests: 0 picks free ports. */
  readonly port?: number;
  readonly metricsPort?: number;
}

/** How far before the outage a resync reaches back, for bars that were forming when it began. */
const RESYNC_MARGIN_MS = 60_000;

export class BroadcasterService {
  readonly server: FanoutServer;
  private readonly listener: NotificationListener;
  private readonly registry: Registry;
  private metricsServer: MetricsServer | undefined;
  private state: 'idle' | 'running' | 'stopped' = 'idle';

  constructor(private readonly options: BroadcasterServiceOptions) {
    const { settings, logger } = options;
    const registry = createMetricsRegistry('broadcaster');
    const sent = new Counter({ name: 'broadcaster_messages_out_total', help: 'Messages delivered to clients', labelNames: ['channel'], registers: [registry] });
    const received = new Counter({ name: 'broadcaster_messages_in_total', help: 'NOTIFY messages received', labelNames: ['channel'], registers: [registry] });
    const dropped = new Counter({ name: 'broadcaster_dropped_total', help: 'Messages dropped for slow clients', labelNames: ['channel'], registers: [registry] });
    const latency = new Histogram({ name: 'broadcaster_notify_to_send_seconds', help: 'NOTIFY received → sent to clients', buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1], registers: [registry] });
    new Gauge({ name: 'broadcaster_clients', help: 'Connected clients', registers: [registry], collect() { this.set(server.clients.size); } });
    const server = new FanoutServer({
      host: settings.broadcaster.host, port: options.port ?? settings.broadcaster.port, token: settings.broadcaster.token,
      allowedOrigins: settings.broadcaster.allowed_origins, logger, onDropped: (c) => dropped.inc({ channel: c }),
    });
    this.server = server;
    const relay = (channel: 'bars' | 'ticks' | 'signals', contractId: string, raw: string, tfKey?: string): void => {
      const end = latency.startTimer();
      received.inc({ channel });
      const n = server.broadcast({ channel, contractId, timeframeKey: tfKey }, raw);
      sent.inc({ channel }, n);
      end();
    };
    this.listener = new NotificationListener({
      connectionString: options.databaseUrl, logger, channels: ['ohlcUpdate', 'tickData', 'signalDetected'],
      onReconnected: (downSince) => {
        server.sendToAll({ type: 'resync', from: new Date(downSince - RESYNC_MARGIN_MS).toISOString(),
          to: new Date().toISOString(), reason: 'broadcaster lost its database connection' });
      },
      onInvalidPayload: (channel, reason) => logger.warn({ channel, reason }, 'invalid NOTIFY payload ignored'),
    })
      .on('ohlcUpdate', (m, raw) => relay('bars', m.contract_id, raw, timeframeKey(m.timeframe_unit, m.timeframe_value)))
      .on('tickData', (m, raw) => relay('ticks', m.contract_id, raw))
      .on('signalDetected', (m, raw) => relay('signals', m.contract_id, raw));
    this.registry = registry;
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') return;
    this.state = 'running';
    await this.server.start();
    await this.listener.start();
    const { settings } = this.options;
    this.metricsServer = await startMetricsServer({
      registry: this.registry, host: settings.broadcaster.host, port: this.options.metricsPort ?? settings.broadcaster.metrics_port,
      health: () => ({ ok: this.listener.connected, service: 'broadcaster', listening: this.listener.connected, clients: this.server.clients.size }),
    });
    this.options.logger.info({ port: this.server.port, metricsPort: this.metricsServer.port }, 'broadcaster started');
  }

  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopped';
    await this.listener.stop();
    await this.server.stop();
    await this.metricsServer?.close();
  }
}
