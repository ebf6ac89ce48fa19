// The pipeline's stage histograms after real traffic: simulated trades → ingester → PostgreSQL →
// analyzer and broadcaster, each service's /metrics scraped until every stage has observations; then
// the Grafana dashboard and the alert rules in docs/monitoring are checked to name only metrics that
// the services (and the web server's registry) actually export.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { AnalyzerService } from '../../analyzer/src/analyzer-service.ts';
import { BroadcasterService } from '../../broadcaster/src/broadcaster-service.ts';
import { histogramCount, ingestContracts, parseHistograms, sumHistograms } from '../../core/src/index.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import { IngesterService } from '../../ingester/src/ingester-service.ts';
import { SimulatedProvider } from '../../ingester/src/providers/simulated-provider.ts';
import { PIPELINE_STAGES } from '../../web/lib/status/pipeline-stages.ts';
import { webMetrics } from '../../web/lib/server/web-metrics.ts';
import { eventually } from '../support/eventually.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { WsCollector } from '../support/ws-collector.ts';

const settings = parseSettings({
  contracts: [{ id: 'SIM.M', provider: 'simulated', symbol: 'M', tick_size: 0.25, session_calendar: 'utc', start_price: 100 }],
  ingester: { contracts: ['SIM.M'], timeframes: ['1s'], flush_interval_ms: 50, close_grace_ms: 100 },
  analyzer: {
    targets: [{ analyzer_id: 'ema_cross', strategy: 'ema_cross', contract_id: 'SIM.M', timeframes: ['1s'], params: { fast: 2, slow: 3 } }],
  },
});

let db: TestDatabase;
let broadcaster: BroadcasterService;
let analyzer: AnalyzerService;
let ingester: IngesterService;
let client: WsCollector | undefined;
/** Each service's last /metrics text. */
const scraped = new Map<string, string>();

async function scrape(name: string, port: number | undefined): Promise<string> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  scraped.set(name, text);
  return text;
}

function observations(text: string, metric: string, labels: Readonly<Record<string, string>> = {}): number {
  const series = parseHistograms(text).filter((s) => s.name === metric && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return histogramCount(sumHistograms(metric, series));
}

beforeAll(async () => {
  db = await createTestDatabase();
  broadcaster = new BroadcasterService({ settings, databaseUrl: db.url, logger: quietLogger('broadcaster'), port: 0, metricsPort: 0 });
  await broadcaster.start();
  analyzer = new AnalyzerService({ settings, databaseUrl: db.url, logger: quietLogger('analyzer'), metricsPort: 0 });
  await analyzer.start();
  client = await WsCollector.connect(`ws://127.0.0.1:${broadcaster.server.port}`);
  client.send({ type: 'subscribe', channel: 'bars', contract_id: 'SIM.M', timeframe: '1s' });
  await client.waitFor((m) => m.type === 'subscribed');
  const contracts = ingestContracts(settings);
  ingester = new IngesterService({
    settings,
    databaseUrl: db.url,
    contracts,
    logger: quietLogger('ingester'),
    metricsPort: 0,
    provider: new SimulatedProvider({ contracts, ticksPerSecond: 200, seed: 3, intervalMs: 20 }),
  });
  await ingester.start();
});

afterAll(async () => {
  client?.close();
  await ingester?.stop();
  await analyzer?.stop();
  await broadcaster?.stop();
  await db?.drop();
});

describe('service metrics', () => {
  it('observes every pipeline stage on the services’ /metrics', async () => {
    // Closed 1 s bars reach the analyzer a second or two in; the condition, not a sleep, decides.
    await eventually(async () => {
      const [ing, ana, bro] = await Promise.all([
        scrape('ingester', ingester.metricsPort),
        scrape('analyzer', analyzer.metricsPort),
        scrape('broadcaster', broadcaster.metricsPort),
      ]);
      return (
        observations(ing, 'ingester_trade_to_notify_seconds') > 0 &&
        observations(ana, 'analyzer_bar_to_signal_seconds') > 0 &&
        observations(bro, 'broadcaster_notify_to_send_seconds', { channel: 'bars' }) > 0
      );
    });
    const ing = scraped.get('ingester') as string;
    const ana = scraped.get('analyzer') as string;
    // Queue depths and the pool's wait are exported beside the histograms.
    expect(ing).toMatch(/^ingester_queue_depth\{[^}]*queue="ticks"[^}]*\} \d+/m);
    expect(ing).toMatch(/^db_pool_waiting_clients\{[^}]*service="ingester"[^}]*\} \d+/m);
    expect(ana).toMatch(/^db_pool_waiting_clients\{[^}]*service="analyzer"[^}]*\} \d+/m);
    // Every checkout's wait for a connection is a histogram (the flushes and the passes used the pools).
    expect(observations(ing, 'db_pool_wait_seconds')).toBeGreaterThan(0);
    expect(observations(ana, 'db_pool_wait_seconds')).toBeGreaterThan(0);
    expect(ing).toMatch(/^ingester_last_trade_age_seconds\{[^}]*contract="SIM.M"[^}]*\} [\d.]+/m);
  });

  it('names in the Grafana dashboard and the alert rules only metrics that exist', async () => {
    expect(scraped.size).toBe(3); // the previous test scraped every service
    const exported = new Set<string>();
    const texts = [...scraped.values(), await webMetrics().registry.metrics()];
    for (const text of texts) for (const m of text.matchAll(/^# TYPE (\S+) /gm)) exported.add(m[1] as string);

    const dashboard = JSON.parse(readFileSync('docs/monitoring/grafana-pipeline.json', 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const rules = parseYaml(readFileSync('docs/monitoring/alert-rules.yml', 'utf8')) as {
      groups: { rules: { alert: string; expr: string }[] }[];
    };
    const expressions = [
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
      ...rules.groups.flatMap((g) => g.rules.map((r) => r.expr)),
    ];
    expect(rules.groups.flatMap((g) => g.rules.map((r) => r.alert))).toEqual(
      expect.arrayContaining([
        'BarstreamFeedStale',
        'BarstreamAnalyzerBehind',
        'BarstreamBroadcasterDropping',
        'BarstreamApiErrorRate',
        'BarstreamIngesterFenceRefused',
      ]),
    );
    const named = new Set(expressions.flatMap(metricNames));
    expect(named.size).toBeGreaterThan(10);
    // `up` is Prometheus's own, per scrape target.
    const missing = [...named].filter((n) => n !== 'up' && !exported.has(n));
    expect(missing).toEqual([]);
    // Every stage /status shows is plotted at p50, p95 and p99.
    for (const stage of PIPELINE_STAGES) {
      for (const q of ['0.50', '0.95', '0.99'])
        expect(expressions.some((e) => e.includes(`histogram_quantile(${q}`) && e.includes(`${stage.metric}_bucket`))).toBe(true);
    }
  });
});

const PROMQL_WORDS = new Set(['histogram_quantile', 'max_over_time', 'avg_over_time', 'rate', 'increase', 'sum', 'max', 'by', 'le']);

/** The metric names a PromQL expression reads (a histogram's _bucket/_count/_sum read the histogram). */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/\$__\w+/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\bby\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/"[^"]*"/g, '');
  return [...bare.matchAll(/\b[a-z_][a-z0-9_]*\b/g)]
    .map((m) => m[0])
    .filter((w) => !PROMQL_WORDS.has(w))
    .map((w) => w.replace(/_(bucket|count|sum)$/, ''));
}
