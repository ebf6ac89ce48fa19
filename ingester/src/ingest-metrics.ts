// The ingester's Prometheus metrics.
import { LATENCY_BUCKETS_SECONDS } from '@barstream/core';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** `tradeAges` reads seconds since the last trade per contract at each scrape (the pipeline, once built),
 * so a stale feed shows on /metrics without anyone asking /health. */
export function createIngestMetrics(registry: Registry, tradeAges: () => Readonly<Record<string, number>> = () => ({})) {
  return {
    ticksReceived: new Counter({
      name: 'ingester_ticks_received_total',
      help: 'Trades received from the provider',
      labelNames: ['contract'],
      registers: [registry],
    }),
    ticksRejected: new Counter({
      name: 'ingester_ticks_rejected_total',
      help: 'Trades or messages rejected',
      labelNames: ['reason'],
      registers: [registry],
    }),
    lateTrades: new Counter({
      name: 'ingester_late_trades_total',
      help: 'Trades after their bar closed (tick stored, closed bar not amended)',
      registers: [registry],
    }),
    barsWritten: new Counter({ name: 'ingester_bars_written_total', help: 'Bar rows upserted', registers: [registry] }),
    ticksWritten: new Counter({ name: 'ingester_ticks_written_total', help: 'Tick rows stored', registers: [registry] }),
    notifies: new Counter({ name: 'ingester_notifies_total', help: 'NOTIFY payloads sent', registers: [registry] }),
    flushFailures: new Counter({
      name: 'ingester_flush_failures_total',
      help: 'Flushes that failed and will be retried (a refusal by the lease fence counts in ingester_fence_refused_total instead)',
      registers: [registry],
    }),
    ticksDropped: new Counter({
      name: 'ingester_ticks_dropped_total',
      help: 'Buffered ticks dropped while the database was unreachable',
      registers: [registry],
    }),
    ticksFenced: new Counter({
      name: 'ingester_ticks_fenced_total',
      help: 'Ticks of a failed flush left out of its retry because their lease went to another instance (it resumes them)',
      registers: [registry],
    }),
    flushSeconds: new Histogram({
      name: 'ingester_flush_duration_seconds',
      help: 'Flush transaction latency',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    tradeToNotify: new Histogram({
      name: 'ingester_trade_to_notify_seconds',
      help: "Trade received → its flush (bars, ticks, NOTIFY) committed; one observation per flush, the flush's oldest trade",
      buckets: [...LATENCY_BUCKETS_SECONDS],
      registers: [registry],
    }),
    reconnects: new Counter({ name: 'ingester_provider_reconnects_total', help: 'Provider reconnects', registers: [registry] }),
    fenceRefused: new Counter({
      name: 'ingester_fence_refused_total',
      help: 'Writes refused by the lease fence (SQLSTATE BSF01: another instance took the lease), by write (flush, backfill, repair); never retried',
      labelNames: ['write'],
      registers: [registry],
    }),
    connectRepairs: new Counter({
      name: 'ingester_connect_repairs_total',
      help: "Connect minutes repaired from the vendor's bar (one per contract and reconnect)",
      registers: [registry],
    }),
    backfilledBars: new Counter({
      name: 'ingester_backfilled_bars_total',
      help: 'Bars written from provider history',
      registers: [registry],
    }),
    streamSkew: new Gauge({
      name: 'ingester_stream_skew_seconds',
      help: 'Stream time minus wall time at the last trade (bars close on stream time; this is only watched)',
      registers: [registry],
    }),
    retentionRowsDeleted: new Counter({
      name: 'ingester_retention_rows_deleted_total',
      help: 'Rows the retention job deleted (table ticks or ohlc_bars; timeframe for bars)',
      labelNames: ['table', 'timeframe'],
      registers: [registry],
    }),
    retentionRuns: new Counter({
      name: 'ingester_retention_runs_total',
      help: 'Retention passes by outcome (ok, failed, skipped: the previous pass was still running)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    lastTradeAge: new Gauge({
      name: 'ingester_last_trade_age_seconds',
      help: 'Seconds since the last trade per contract',
      labelNames: ['contract'],
      registers: [registry],
      collect() {
        for (const [contract, age] of Object.entries(tradeAges())) this.set({ contract }, age);
      },
    }),
  };
}

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;
