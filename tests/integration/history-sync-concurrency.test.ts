// Backfill on (re)connect: several contracts are fetched concurrently, never more than the bound at
// once. Asserted by the order of events (each fetch is held open until the test releases it), not timing.
import { describe, expect, it } from 'vitest';
import { BarAggregator, type ContractSettings, type OhlcBar, parseTimeframe, SessionCalendar, UTC_CALENDAR } from '../../core/src/index.ts';
import { createMetricsRegistry } from '../../core/src/node/metrics-server.ts';
import type { Pool } from '../../core/src/node/db-pool.ts';
import { HistorySync } from '../../ingester/src/history-sync.ts';
import { createIngestMetrics } from '../../ingester/src/ingest-metrics.ts';
import type { MarketDataProvider } from '../../ingester/src/providers/provider.ts';
import { until } from '../fakes/recording-sink.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { useTestDatabase } from '../support/use-test-database.ts';

const T = Date.UTC(2026, 0, 6, 12, 0, 30);
const ONE_MINUTE = parseTimeframe('1m');
const contract = (id: string) =>
  ({ id, provider: 'simulated', symbol: id, name: id, tick_size: 0.25, session_calendar: 'utc' }) as ContractSettings;

let pool: Pool;
useTestDatabase((ground) => {
  ({ pool } = ground);
});

/** A provider whose history calls wait until the test releases them, recording when each starts and ends. */
class HeldHistoryProvider implements MarketDataProvider {
  readonly name = 'held';
  readonly historyTimeframe = ONE_MINUTE;
  readonly events: string[] = [];
  readonly waiting = new Map<string, () => void>();
  start(): Promise<void> {
    return Promise.resolve();
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
  async fetchBars(contractId: string): Promise<OhlcBar[]> {
    this.events.push(`start ${contractId}`);
    await new Promise<void>((resolve) => this.waiting.set(contractId, resolve));
    this.waiting.delete(contractId);
    this.events.push(`end ${contractId}`);
    return [];
  }
  release(contractId: string): void {
    this.waiting.get(contractId)?.();
  }
}

function historySync(provider: MarketDataProvider, ids: string[], concurrency?: number): HistorySync {
  const calendar = new SessionCalendar(UTC_CALENDAR);
  const contracts = ids.map(contract);
  return new HistorySync({
    pool,
    provider,
    contracts,
    calendars: new Map(ids.map((id) => [id, calendar])),
    timeframes: [ONE_MINUTE],
    aggregator: new BarAggregator({ timeframes: [ONE_MINUTE], calendarFor: () => calendar, graceMs: 0 }),
    lookbackMs: 3_600_000,
    graceMs: 0,
    now: () => T,
    logger: quietLogger('history'),
    metrics: createIngestMetrics(createMetricsRegistry('t')),
    ...(concurrency === undefined ? {} : { concurrency }),
  });
}

describe('backfill on connect', () => {
  it('fetches every contract’s history before any fetch has finished', async () => {
    const provider = new HeldHistoryProvider();
    const sync = historySync(provider, ['A', 'B', 'C']);
    const done = sync.onConnected(T);
    await until(() => provider.waiting.size === 3, 'three history fetches open at once', 15_000);
    // In whichever order their database reads returned, and none finished yet.
    expect([...provider.events].sort()).toEqual(['start A', 'start B', 'start C']);
    for (const id of ['B', 'C', 'A']) provider.release(id);
    await done;
    expect(provider.events.slice(3)).toEqual(['end B', 'end C', 'end A']);
    await sync.stop();
  });

  it('keeps at most `concurrency` fetches open; the next contract starts when one finishes', async () => {
    const provider = new HeldHistoryProvider();
    const sync = historySync(provider, ['A', 'B', 'C', 'D'], 2);
    const done = sync.onConnected(T);
    await until(() => provider.waiting.size === 2, 'two history fetches open', 15_000);
    provider.release('B');
    await until(() => provider.waiting.has('C'), 'C started after B finished', 15_000);
    expect([...provider.events.slice(0, 2)].sort()).toEqual(['start A', 'start B']);
    expect(provider.events.slice(2)).toEqual(['end B', 'start C']);
    expect(provider.waiting.size).toBe(2);
    provider.release('C');
    await until(() => provider.waiting.has('D'), 'D started after C finished', 15_000);
    provider.release('A');
    provider.release('D');
    await done;
    expect(provider.events.slice(2)).toEqual(['end B', 'start C', 'end C', 'start D', 'end A', 'end D']);
    await sync.stop();
  });
});
