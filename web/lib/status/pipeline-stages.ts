// The pipeline's stages as /status and docs/grafana-pipeline.json show them: which service's
// histogram times each (every label set of it summed: all channels, all targets).
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
];
