// What /status shows, read from the services' own /health and /metrics: which are up, the feed's
// age per contract, the analyzer's watermarks, the broadcaster's clients, and p99 per pipeline stage
// over the last 5 minutes (latency-window.ts).
import 'server-only';
import { type HistogramSeries, parseHistograms, sumHistograms } from '@barstream/core';
import { z } from 'zod';
import { webConfig } from '../server/config.ts';
import { webMetrics } from '../server/web-metrics.ts';
import { LatencyWindow, type WindowQuantile } from './latency-window.ts';
import { PIPELINE_STAGES, type PipelineStage } from './pipeline-stages.ts';
import { scrapeService, type ServiceScrape } from './service-scrape.ts';
import { statusServices } from './status-services.ts';

export interface StatusReport {
  readonly renderedAt: number;
  readonly services: readonly (ServiceScrape & { readonly baseUrl: string })[];
  readonly tradeAges: readonly { readonly contract: string; readonly seconds: number }[];
  readonly watermarks: readonly { readonly unit: string; readonly through: string | null; readonly state: string }[];
  readonly clients: number | undefined;
  readonly stages: readonly (PipelineStage & WindowQuantile & { readonly up: boolean })[];
}

const ingesterHealth = z.object({ last_trade_age_seconds: z.record(z.string(), z.number()) });
const analyzerHealth = z.object({
  targets: z.array(z.object({ target: z.string(), status: z.string(), watermark: z.string().nullable() })).default([]),
  smc: z.array(z.object({ study: z.string(), through: z.string().nullable(), error: z.string().nullable() })).default([]),
});
const broadcasterHealth = z.object({ clients: z.number() });

// One per web server process (globalThis: Next.js may load this module in more than one bundle).
const holder = globalThis as typeof globalThis & { __barstreamLatencyWindow?: LatencyWindow };
const latencyWindow = (): LatencyWindow => (holder.__barstreamLatencyWindow ??= new LatencyWindow());

function healthOf(services: readonly ServiceScrape[], name: string): unknown {
  const s = services.find((x) => x.name === name);
  return s?.up ? s.health : undefined;
}

export async function loadStatus(now = Date.now()): Promise<StatusReport> {
  const targets = statusServices(webConfig().settings);
  const scraped = await Promise.all(targets.map(async (t) => ({ ...(await scrapeService(t.name, t.baseUrl)), baseUrl: t.baseUrl })));
  const own: ServiceScrape = { name: 'web', up: true, health: {}, histograms: parseHistograms(await webMetrics().registry.metrics()) };
  const histograms = new Map<string, readonly HistogramSeries[]>(
    [...scraped, own].flatMap((s) => (s.up ? [[s.name, s.histograms] as const] : [])),
  );

  const ingester = ingesterHealth.safeParse(healthOf(scraped, 'ingester'));
  const analyzer = analyzerHealth.safeParse(healthOf(scraped, 'analyzer'));
  const broadcaster = broadcasterHealth.safeParse(healthOf(scraped, 'broadcaster'));

  return {
    renderedAt: now,
    services: scraped,
    tradeAges: ingester.success
      ? Object.entries(ingester.data.last_trade_age_seconds).map(([contract, seconds]) => ({ contract, seconds }))
      : [],
    watermarks: analyzer.success
      ? [
          ...analyzer.data.targets.map((t) => ({ unit: t.target, through: t.watermark, state: t.status })),
          ...analyzer.data.smc.map((s) => ({
            unit: s.study,
            through: s.through,
            state: s.error === null ? 'running' : `error: ${s.error}`,
          })),
        ]
      : [],
    clients: broadcaster.success ? broadcaster.data.clients : undefined,
    stages: PIPELINE_STAGES.map((stage) => {
      const series = histograms.get(stage.service);
      if (series === undefined) return { ...stage, up: false, p99: undefined, count: 0, beyondBuckets: false, spanMs: undefined };
      const summed = sumHistograms(
        stage.metric,
        series.filter((s) => s.name === stage.metric),
      );
      return { ...stage, up: true, ...latencyWindow().record(`${stage.service}/${stage.metric}`, now, summed) };
    }),
  };
}
