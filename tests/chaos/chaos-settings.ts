// The settings the chaos stack's services run with: the ingester's on the fake exchange (the standby
// ingester test runs on them too), each service's port, the analyzer's strategies and SMC study, and an
// alerter that retries fast against a flaky receiver.
import { join } from 'node:path';
import type { FakeBinanceServer } from '../fakes/binance-server.ts';
import { CHAOS_SYMBOL, type ChaosMarket } from './chaos-market.ts';
import { chaosSmcStudy } from './compare-smc.ts';

/** The ports the stack listens on (PostgreSQL, WebSocket, and the services' metrics). */
export interface ChaosPorts {
  readonly pg: number;
  readonly ws: number;
  readonly ing: number;
  readonly ana: number;
  readonly bm: number;
  readonly alt: number;
}

/** The ingester's settings on `market` served by `fake`: streamed and backfilled as the chaos suite plays
 * it (the market runs in the past, so a skew of two days is allowed). */
export function chaosIngesterSettings(market: ChaosMarket, fake: FakeBinanceServer) {
  return {
    contracts: [market.contract],
    ingester: {
      provider: 'binance',
      contracts: [CHAOS_SYMBOL],
      timeframes: ['1m', '5m'],
      flush_interval_ms: 100,
      close_grace_ms: 1_000,
      max_clock_skew_ms: 2 * 86_400_000,
      backfill_lookback_hours: 0.5,
    },
    providers: { binance: { rest_url: fake.restUrl, ws_url: fake.wsUrl } },
  };
}

/** The settings file's content (JSON is YAML) for a stack on `market` served by `fake`. */
export function chaosSettings(market: ChaosMarket, fake: FakeBinanceServer, ports: ChaosPorts, dir: string): object {
  const feed = chaosIngesterSettings(market, fake);
  return {
    ...feed,
    ingester: { ...feed.ingester, metrics_port: ports.ing },
    analyzer: {
      metrics_port: ports.ana,
      sweep_cron: '*/5 * * * * *',
      targets: [
        { analyzer_id: 'trend', strategy: 'cus_cds_trend_finder', contract_id: CHAOS_SYMBOL, timeframes: ['1m'] },
        { analyzer_id: 'ema', strategy: 'ema_cross_rsi', contract_id: CHAOS_SYMBOL, timeframes: ['1m'], params: { fast: 5, slow: 12 } },
      ],
      smc: [chaosSmcStudy(CHAOS_SYMBOL)],
    },
    broadcaster: { port: ports.ws, metrics_port: ports.bm },
    alerter: {
      metrics_port: ports.alt,
      rules_dir: join(dir, 'rules'),
      watchlist_seed: [CHAOS_SYMBOL],
      delivery: { max_attempts: 100, backoff_ms: 20, backoff_max_ms: 500, attempt_timeout_ms: 2_000, queue_maintenance_s: 1 },
    },
    logging: { level: 'warn' },
  };
}
