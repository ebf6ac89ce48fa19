// The analyzer's Prometheus metrics.
import { LATENCY_BUCKETS_SECONDS } from '@barstream/core';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { TargetRunner } from './target-runner.ts';

export function createAnalyzerMetrics(registry: Registry, runners: () => readonly TargetRunner[]) {
  return {
    bars: new Counter({
      name: 'analyzer_bars_processed_total',
      help: 'Closed bars fed to strategies',
      labelNames: ['target'],
      registers: [registry],
    }),
    signals: new Counter({ name: 'analyzer_signals_total', help: 'New signals stored', labelNames: ['target'], registers: [registry] }),
    rejectedBars: new Counter({
      name: 'analyzer_rejected_bars_total',
      help: 'Bars rejected before a strategy',
      labelNames: ['target'],
      registers: [registry],
    }),
    smcBars: new Counter({
      name: 'analyzer_smc_bars_total',
      help: 'Closed bars fed to SMC study instances',
      labelNames: ['study'],
      registers: [registry],
    }),
    smcRows: new Counter({
      name: 'analyzer_smc_rows_total',
      help: 'SMC rows written or deleted (smc_events, zones)',
      labelNames: ['study', 'table'],
      registers: [registry],
    }),
    smcRejectedBars: new Counter({
      name: 'analyzer_smc_rejected_bars_total',
      help: 'Bars the SMC engine rejected (logged, skipped)',
      labelNames: ['study'],
      registers: [registry],
    }),
    barToSignal: new Histogram({
      name: 'analyzer_bar_to_signal_seconds',
      help: "Closed bar's NOTIFY received → the pass that fed it committed its signals",
      buckets: [...LATENCY_BUCKETS_SECONDS],
      registers: [registry],
    }),
    failed: new Gauge({
      name: 'analyzer_target_failed',
      help: '1 when a target is marked failed',
      labelNames: ['target'],
      registers: [registry],
      collect() {
        for (const r of runners()) this.set({ target: r.unit.key }, r.status === 'failed' ? 1 : 0);
      },
    }),
  };
}

export type AnalyzerMetrics = ReturnType<typeof createAnalyzerMetrics>;
