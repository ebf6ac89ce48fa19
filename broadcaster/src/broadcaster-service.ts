// The broadcaster: LISTEN on the bar, tick and signal channels and fan each message out to clients;
// after a lost LISTEN connection, tell the affected clients which time range to refetch.
import { type Settings, tickClientFrames, withIsClosed } from '@barstream/core';
import {
  createMetricsRegistry,
  type HealthReport,
  type Logger,
  type MetricsServer,
  NotificationListener,
  startMetricsServer,
} from '@barstream/core/node';
import type { Registry } from 'prom-client';
import { type BroadcasterMetrics, createBroadcasterMetrics } from './broadcaster-metrics.ts';
import type { ClientLimits } from './client-connection.ts';
import { FanoutServer } from './fanout-server.ts';
import { type Route, timeframeKey } from './subscriptions.ts';
import { RelayQueue } from './relay-queue.ts';

export interface BroadcasterServiceOptions {
  readonly settings: Settings;
  readonly databaseUrl: string;
  readonly logger: Logger;
  /** Verifies the web's WebSocket tickets (auth.secret); needed when auth.mode is all. */
  readonly ticketSecret?: string;
  /** Overrides for tests and benchmarks: 0 picks free ports. */
  readonly port?: number;
  readonly metricsPort?: number;
  readonly limits?: Partial<ClientLimits>;
  readonly heartbeatMs?: number | 'manual';
  readonly paranoidCheckMs?: number;
  /** Overrides broadcaster.write_interval_ms. */
  readonly writeIntervalMs?: number;
}

/** How far before the outage a resync reaches back, for bars that were forming when it began. */
const RESYNC_MARGIN_MS = 60_000;

/** Tickets are required with auth.mode all, and accepted beside a token (the web page has no token). */
function ticketGate(settings: Settings, secret: string | undefined): { secret: string; required: boolean } | undefined {
  const required = settings.auth.mode === 'all';
  if (secret === undefined) {
    if (required) throw new Error('auth.mode is all but the broadcaster has no auth secret to verify tickets with');
    return undefined;
  }
  return { secret, required };
}

export class BroadcasterService {
  readonly server: FanoutServer;
  private readonly listener: NotificationListener;
  private readonly registry: Registry;
  private readonly metrics: BroadcasterMetrics;
  private readonly totals = { in: 0, out: 0, dropped: 0, resyncs: 0 };
  private readonly queue: RelayQueue;
  private metricsServer: MetricsServer | undefined;
  private state: 'idle' | 'running' | 'stopped' = 'idle';

  constructor(private readonly options: BroadcasterServiceOptions) {
    const { settings, logger } = options;
    this.registry = createMetricsRegistry('broadcaster');
    this.server = new FanoutServer({
      host: settings.broadcaster.host,
      port: options.port ?? settings.broadcaster.port,
      token: settings.broadcaster.token,
      tickets: ticketGate(settings, options.ticketSecret),
      allowedOrigins: settings.broadcaster.allowed_origins,
      logger,
      limits: options.limits,
      heartbeatMs: options.heartbeatMs,
      onFlushed: () => this.queue.newTurn(),
      writeIntervalMs: options.writeIntervalMs ?? settings.broadcaster.write_interval_ms,
      observer: {
        onClientFrame: (accepted) => this.metrics.clientFrames.inc({ outcome: accepted ? 'accepted' : 'refused' }),
        onDisconnect: (reason) => this.metrics.disconnects.inc({ reason }),
        onRefusedUpgrade: (reason) => this.metrics.refusedUpgrades.inc({ reason }),
      },
    });
    this.listener = new NotificationListener({
      connectionString: options.databaseUrl,
      logger,
      channels: ['ohlcUpdate', 'tickData', 'signalDetected', 'signalsStored', 'smcUpdate', 'alertCreated', 'tradeUpdate'],
      paranoidCheckMs: options.paranoidCheckMs,
      onReconnected: (downSince) => this.resync(downSince),
      onInvalidPayload: (channel, reason) => {
        this.metrics.invalidNotifications.inc({ channel });
        logger.warn({ channel, reason }, 'invalid NOTIFY payload ignored');
      },
    })
      // A bar in the origin's shape (no is_closed) goes out with `is_closed: false` spelled out, so
      // clients see one shape; every other payload is relayed as written.
      .on('ohlcUpdate', (m, raw, at) =>
        this.queue.relay(
          { channel: 'bars', contractId: m.contract_id, timeframeKey: timeframeKey(m.timeframe_unit, m.timeframe_value) },
          m.is_closed === undefined ? JSON.stringify(withIsClosed(m)) : raw,
          at,
        ),
      )
      // The ingester batches several contracts into one NOTIFY, as columns; clients get one message per
      // contract in their unchanged format, made once here whatever the number of subscribers.
      .on('tickData', (m, raw, at) => {
        for (const frame of tickClientFrames(m, raw)) this.queue.relay({ channel: 'ticks', contractId: frame.contractId }, frame.json, at);
      })
      .on('signalDetected', (m, raw, at) => this.queue.relay({ channel: 'signals', contractId: m.contract_id }, raw, at))
      .on('signalsStored', (m, raw, at) => this.queue.relay({ channel: 'signals', contractId: m.contract_id }, raw, at))
      .on('smcUpdate', (m, raw, at) => this.queue.relay({ channel: 'smc', contractId: m.contract_id }, raw, at))
      .on('alertCreated', (m, raw, at) => this.queue.relay({ channel: 'alerts', contractId: m.contract_id }, raw, at))
      .on('tradeUpdate', (m, raw, at) => this.queue.relay({ channel: 'trades', contractId: m.contract_id }, raw, at));
    this.metrics = createBroadcasterMetrics(this.registry, this.server, {
      listening: () => this.listener.connected,
      queued: () => this.queue.queued,
    });
    this.queue = new RelayQueue((route, raw, at) => this.relay(route, raw, at), this.listener);
  }

  /** Serves /health and /metrics, then LISTENs (retrying while PostgreSQL is down), then accepts
   * WebSocket clients: a client is never admitted to a stream that is not flowing yet. */
  async start(): Promise<void> {
    if (this.state !== 'idle') return;
    this.state = 'running';
    const { settings, logger } = this.options;
    this.metricsServer = await startMetricsServer({
      registry: this.registry,
      host: settings.broadcaster.host,
      port: this.options.metricsPort ?? settings.broadcaster.metrics_port,
      databaseUrl: this.options.databaseUrl,
      health: () => this.health(),
    });
    await this.listener.start();
    if (this.state !== 'running') return; // stopped while waiting for PostgreSQL
    await this.server.start();
    logger.info({ port: this.server.port, metricsPort: this.metricsServer.port }, 'broadcaster started');
  }

  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopped';
    await this.listener.stop();
    await this.server.stop();
    await this.metricsServer?.close();
  }

  get metricsPort(): number | undefined {
    return this.metricsServer?.port;
  }

  health(): HealthReport {
    const listening = this.listener.connected;
    const { clients, subscriptions, bufferedBytes, maxClientBufferedBytes } = this.server.stats();
    return {
      ok: listening,
      service: 'broadcaster',
      listening,
      clients,
      subscriptions,
      bufferedBytes,
      maxClientBufferedBytes,
      queued: this.queue.queued,
      messagesIn: this.totals.in,
      messagesOut: this.totals.out,
      dropped: this.totals.dropped,
      resyncsSent: this.totals.resyncs,
    };
  }

  /** Writes one NOTIFY to its clients (called by the queue, within a turn's budget). */
  private relay(route: Route, raw: string, receivedAt: number): number {
    const counts = this.server.broadcast(route, raw);
    const m = this.metrics.byChannel[route.channel];
    m.in.inc();
    m.out.inc(counts.sent);
    m.bytesOut.inc(counts.sent * counts.bytes);
    if (counts.dropped > 0) m.dropped.inc(counts.dropped);
    this.totals.in++;
    this.totals.out += counts.sent;
    this.totals.dropped += counts.dropped;
    m.latency.observe((performance.now() - receivedAt) / 1000);
    return counts.sent;
  }

  private resync(downSince: number): void {
    const sent = this.server.sendResync({
      type: 'resync',
      from: new Date(downSince - RESYNC_MARGIN_MS).toISOString(),
      to: new Date().toISOString(),
      reason: 'the broadcaster lost its database connection: refetch this range from /api/ohlc',
    });
    this.metrics.reconnects.inc();
    this.metrics.resyncsSent.inc(sent);
    this.totals.resyncs += sent;
    this.options.logger.info({ clients: sent, downSince: new Date(downSince).toISOString() }, 'LISTEN re-established; resync sent');
  }
}
