// An IngestPipeline over one contract and 1-minute bars on the UTC calendar, with its own metrics:
// the setup the pipeline's integration tests share.
import { BarAggregator, parseTimeframe, SessionCalendar, UTC_CALENDAR } from '../../core/src/index.ts';
import { createMetricsRegistry, type Pool } from '../../core/src/node.ts';
import { createIngestMetrics, type IngestMetrics } from '../../ingester/src/ingest-metrics.ts';
import { IngestPipeline, type IngestPipelineOptions } from '../../ingester/src/ingest-pipeline.ts';
import { MarketClock } from '../../ingester/src/market-clock.ts';
import { quietLogger } from './quiet-logger.ts';

export interface MinutePipelineOptions {
  readonly pool: Pool;
  readonly contractId: string;
  readonly graceMs: number;
  readonly flushIntervalMs: number;
  readonly maxClockSkewMs: number;
  readonly maxBufferedTicks?: number;
}

export function minutePipeline(o: MinutePipelineOptions): { pipeline: IngestPipeline; metrics: IngestMetrics } {
  const calendar = new SessionCalendar(UTC_CALENDAR);
  const metrics = createIngestMetrics(createMetricsRegistry('t'));
  const options: IngestPipelineOptions = {
    pool: o.pool,
    clock: new MarketClock(),
    logger: quietLogger('t'),
    metrics,
    aggregator: new BarAggregator({ timeframes: [parseTimeframe('1m')], calendarFor: () => calendar, graceMs: o.graceMs }),
    contracts: new Set([o.contractId]),
    flushIntervalMs: o.flushIntervalMs,
    maxClockSkewMs: o.maxClockSkewMs,
    ...(o.maxBufferedTicks === undefined ? {} : { maxBufferedTicks: o.maxBufferedTicks }),
  };
  return { pipeline: new IngestPipeline(options), metrics };
}
