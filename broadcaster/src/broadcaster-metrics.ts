// The broadcaster's Prometheus metrics: NOTIFYs in, deliveries out, drops, client frames and
// disconnects by reason, buffered bytes, and NOTIFY → written-to-clients latency.
import { LATENCY_BUCKETS_SECONDS, type StreamChannel, streamChannelSchema } from '@barstream/core';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { FanoutServer } from './fanout-server.ts';

/** Every stream channel of the protocol: a channel relayed without its metrics would throw in the relay. */
const CHANNELS: readonly StreamChannel[] = streamChannelSchema.options;

export interface ChannelMetrics {
  readonly in: Counter.Internal;
  readonly out: Counter.Internal;
  readonly bytesOut: Counter.Internal;
  readonly dropped: Counter.Internal;
  readonly latency: Histogram.Internal<'channel'>;
}

export function createBroadcasterMetrics(registry: Registry, server: FanoutServer, state: { listening(): boolean; queued(): number }) {
  const registers = [registry];
  const messagesIn = new Counter({
    name: 'broadcaster_messages_in_total',
    help: 'NOTIFY messages received (valid payloads)',
    labelNames: ['channel'],
    registers,
  });
  const messagesOut = new Counter({
    name: 'broadcaster_messages_out_total',
    help: 'Relayed messages written to clients',
    labelNames: ['channel'],
    registers,
  });
  const bytesOut = new Counter({
    name: 'broadcaster_bytes_out_total',
    help: 'Payload bytes of relayed messages written to clients',
    labelNames: ['channel'],
    registers,
  });
  const dropped = new Counter({
    name: 'broadcaster_dropped_total',
    help: 'Messages dropped for clients that fell behind',
    labelNames: ['channel'],
    registers,
  });
  const latency = new Histogram({
    name: 'broadcaster_notify_to_send_seconds',
    help: 'NOTIFY read from PostgreSQL → written to every matching client (incl. validation), per channel (message type)',
    labelNames: ['channel'],
    buckets: [...LATENCY_BUCKETS_SECONDS],
    registers,
  });
  // Labelled children once: the relay path increments them without hashing label objects.
  const byChannel = Object.fromEntries(
    CHANNELS.map((c) => [
      c,
      {
        in: messagesIn.labels(c),
        out: messagesOut.labels(c),
        bytesOut: bytesOut.labels(c),
        dropped: dropped.labels(c),
        latency: latency.labels(c),
      },
    ]),
  ) as Record<StreamChannel, ChannelMetrics>;
  const stats = () => server.stats();
  new Gauge({
    name: 'broadcaster_clients',
    help: 'Connected clients',
    registers,
    collect() {
      this.set(server.clientCount);
    },
  });
  new Gauge({
    name: 'broadcaster_subscriptions',
    help: 'Subscriptions across clients',
    labelNames: ['channel'],
    registers,
    collect() {
      for (const [channel, n] of Object.entries(stats().subscriptions)) this.set({ channel }, n);
    },
  });
  new Gauge({
    name: 'broadcaster_buffered_bytes',
    help: 'Bytes waiting to be written to clients, all clients',
    registers,
    collect() {
      this.set(stats().bufferedBytes);
    },
  });
  new Gauge({
    name: 'broadcaster_max_client_buffered_bytes',
    help: 'Bytes waiting to be written to the furthest-behind client',
    registers,
    collect() {
      this.set(stats().maxClientBufferedBytes);
    },
  });
  new Gauge({
    name: 'broadcaster_listening',
    help: '1 while LISTEN is active on PostgreSQL',
    registers,
    collect() {
      this.set(state.listening() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'broadcaster_relay_queued',
    help: 'NOTIFYs read but waiting for a turn: the broadcaster itself is behind',
    registers,
    collect() {
      this.set(state.queued());
    },
  });
  return {
    byChannel,
    clientFrames: new Counter({
      name: 'broadcaster_client_frames_total',
      help: 'Frames received from clients',
      labelNames: ['outcome'],
      registers,
    }),
    disconnects: new Counter({ name: 'broadcaster_disconnects_total', help: 'Clients gone, by reason', labelNames: ['reason'], registers }),
    refusedUpgrades: new Counter({
      name: 'broadcaster_refused_upgrades_total',
      help: 'WebSocket upgrades refused',
      labelNames: ['reason'],
      registers,
    }),
    invalidNotifications: new Counter({
      name: 'broadcaster_invalid_notifications_total',
      help: 'NOTIFY payloads that failed validation',
      labelNames: ['channel'],
      registers,
    }),
    reconnects: new Counter({
      name: 'broadcaster_listen_reconnects_total',
      help: 'LISTEN connections re-established after a loss',
      registers,
    }),
    resyncsSent: new Counter({ name: 'broadcaster_resyncs_sent_total', help: 'Resync messages sent to clients', registers }),
  };
}

export type BroadcasterMetrics = ReturnType<typeof createBroadcasterMetrics>;
