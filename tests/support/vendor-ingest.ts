// The ingester's live path and history sync for one contract, wired as IngesterService wires them,
// on a vendor that serves a SimulatedMarket's minutes: the ground of the connect-minute repair tests.
import { BarAggregator, type ContractSettings, parseTimeframe, type SessionCalendar } from '../../core/src/index.ts';
import type { Pool } from '../../core/src/node.ts';
import { HistorySync } from '../../ingester/src/history-sync.ts';
import type { IngestMetrics } from '../../ingester/src/ingest-metrics.ts';
import { IngestPipeline } from '../../ingester/src/ingest-pipeline.ts';
import type { MarketClock } from '../../ingester/src/market-clock.ts';
import type { MarketDataProvider } from '../../ingester/src/providers/provider.ts';
import type { SimulatedMarket } from '../../ingester/src/providers/simulated-market.ts';
import { quietLogger } from './quiet-logger.ts';

const MINUTE = 60_000;

/** The aggregator of `timeframes` (labels) on one calendar. */
export function contractAggregator(timeframes: readonly string[], calendar: SessionCalendar, graceMs: number): BarAggregator {
  return new BarAggregator({
    timeframes: timeframes.map((t) => parseTimeframe(t)),
    calendarFor: () => calendar,
    graceMs,
  });
}

/** A vendor whose 1m history is `market`'s minutes that ended by `horizon()`; `beforeFetch` runs first
 * (a test may hold a fetch there). */
export function simulatedVendor(
  market: SimulatedMarket,
  contract: ContractSettings,
  horizon: () => number,
  beforeFetch?: (from: number, to: number) => Promise<void>,
): MarketDataProvider {
  return {
    name: 'vendor',
    historyTimeframe: parseTimeframe('1m'),
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    fetchBars: async (_id, _tf, from, to) => {
      await beforeFetch?.(from, to);
      return market.minuteBars(contract, from, Math.min(to, horizon()));
    },
  };
}

/** The vendor has the minutes the stream has passed: those that ended by the clock's minute. */
export const passedMinutes = (clock: MarketClock) => (): number => Math.floor(clock.now() / MINUTE) * MINUTE;

export interface ContractHistoryOptions {
  readonly pool: Pool;
  readonly provider: MarketDataProvider;
  readonly aggregator: BarAggregator;
  readonly contract: ContractSettings;
  readonly calendar: SessionCalendar;
  readonly lookbackMs: number;
  readonly graceMs: number;
  readonly now: () => number;
  readonly metrics: IngestMetrics;
}

/** HistorySync (backfill and connect-minute repair) for one contract. */
export function contractHistory(options: ContractHistoryOptions): HistorySync {
  const { pool, provider, aggregator, contract, calendar, lookbackMs, graceMs, now, metrics } = options;
  return new HistorySync({
    pool,
    provider,
    aggregator,
    contracts: [contract],
    calendars: new Map([[contract.id, calendar]]),
    timeframes: aggregator.timeframeList,
    lookbackMs,
    graceMs,
    now,
    logger: quietLogger('history'),
    metrics,
  });
}

export interface ContractPipelineOptions {
  readonly pool: Pool;
  readonly aggregator: BarAggregator;
  readonly clock: MarketClock;
  readonly metrics: IngestMetrics;
  readonly history: HistorySync;
  readonly contract: ContractSettings;
  readonly maxClockSkewMs: number;
}

/** The live path for one contract, flushing every 20 ms. */
export function contractPipeline(options: ContractPipelineOptions): IngestPipeline {
  const { pool, aggregator, clock, metrics, history, contract, maxClockSkewMs } = options;
  return new IngestPipeline({
    pool,
    aggregator,
    clock,
    logger: quietLogger('pipeline'),
    metrics,
    history,
    contracts: new Set([contract.id]),
    flushIntervalMs: 20,
    maxClockSkewMs,
  });
}
