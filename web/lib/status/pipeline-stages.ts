// The pipeline's stages as /status and docs/grafana-pipeline.json show them: which service's
// histogram times each (every label set of it summed: all channels, all targets); the same metric
// may time a stage in several services (the pool's wait), one row each.
export interface PipelineStage {
  readonly label: string;
  readonly service: string;
  readonly metric: string;
}

export const PIPELINE_STAGES: readonly PipelineStage[] = [
  { label: 'trade received → bar NOTIFY committed', service: 'ingester', metric: 'ingester_trade_to_notify_seconds' },
  { label: 'NOTIFY → WebSocket write', service: 'broadcaster', metric: 'broadcaster_notify_to_send_seconds' },
  { label: 'bar closed → signal committed', service: 'analyzer', metric: 'analyzer_bar_to_signal_seconds' },
  { label: 'API request → answer', service: 'web', metric: 'web_api_request_duration_seconds' },
  // Each service's own pool (core/src/node/pool-metrics.ts): a query waiting for a connection.
  ...['ingester', 'analyzer', 'alerter', 'trader'].map((service) => ({
    label: 'query waits for a pool connection',
    service,
    metric: 'db_pool_wait_seconds',
  })),
];
