// Two analyzers on one database (issue #18, scale-out): they split the targets by lease, every target
// is processed by one of them only, and the stored signals equal a single analyzer's on the same bars;
// when one stops, the other takes its targets over from their watermarks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractBar, OhlcBar } from '../../core/src/index.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import { createPool, type Pool } from '../../core/src/node/db-pool.ts';
import { AnalyzerService } from '../../analyzer/src/analyzer-service.ts';
import { writeFlush } from '../../ingester/src/bar-store.ts';
import { eventually } from '../support/eventually.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { syntheticBars } from '../support/synthetic-bars.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const CONTRACTS = ['SIM.AA', 'SIM.BB'];
const config = (leases: boolean) =>
  parseSettings({
    contracts: CONTRACTS.map((id) => ({ id, provider: 'simulated', symbol: id, tick_size: 0.25, session_calendar: 'utc' })),
    ingester: { contracts: CONTRACTS },
    analyzer: {
      metrics_port: 0,
      targets: CONTRACTS.flatMap((c) => [
        { analyzer_id: 'trend', strategy: 'cus_cds_trend_finder', contract_id: c, timeframes: ['1h'] },
        { analyzer_id: 'ema', strategy: 'ema_cross_rsi', contract_id: c, timeframes: ['1h'], params: { fast: 5, slow: 12 } },
      ]),
    },
    leases: { enabled: leases, retry_ms: 100 },
  });

const START = Date.UTC(2025, 0, 6);
const bars = new Map(CONTRACTS.map((c, i) => [c, syntheticBars(600, { start: START, stepMs: 3_600_000, seed: 11 + i })]));

let shared: TestDatabase;
let single: TestDatabase;
let sharedPool: Pool;
let singlePool: Pool;
beforeAll(async () => {
  [shared, single] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  sharedPool = createPool(shared.url, { max: 2 });
  singlePool = createPool(single.url, { max: 2 });
});
afterAll(async () => {
  await sharedPool?.end();
  await singlePool?.end();
  await shared?.drop();
  await single?.drop();
});

async function writeBars(pool: Pool, from: number, to: number): Promise<void> {
  for (const [contractId, series] of bars) {
    const rows = series.slice(from, to).map((b: OhlcBar): ContractBar => ({ ...b, contractId, unit: 3, value: 1, isClosed: true }));
    for (let i = 0; i < rows.length; i += 100) await writeFlush(pool, rows.slice(i, i + 100), []);
  }
}

/** Every target's watermark reached the bar `index`. */
async function processedTo(pool: Pool, index: number): Promise<void> {
  const time = new Date(START + index * 3_600_000);
  await eventually(async () => {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM analyzer_watermarks WHERE last_processed_timestamp >= $1`,
      [time],
    );
    return rows[0]?.n === CONTRACTS.length * 2;
  });
}

async function signals(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ s: string }>(
    `SELECT concat_ws('|', analyzer_id, contract_id, timeframe, "timestamp", signal_type, signal_price) AS s FROM detected_signals ORDER BY 1`,
  );
  return rows.map((r) => r.s);
}

const held = (a: AnalyzerService): string[] => ((a.health().leases as { held: string[] } | undefined)?.held ?? []).slice();

describe('two analyzers', () => {
  it('split the targets, store each signal once, equal to a single analyzer; a survivor takes over', async () => {
    const a = new AnalyzerService({ settings: config(true), databaseUrl: shared.url, logger: quietLogger('analyzer-a'), metricsPort: 0 });
    const b = new AnalyzerService({ settings: config(true), databaseUrl: shared.url, logger: quietLogger('analyzer-b'), metricsPort: 0 });
    await a.start();
    await b.start();
    await eventually(() => held(a).length === 2 && held(b).length === 2);
    expect([...held(a), ...held(b)].sort()).toHaveLength(4);
    expect(new Set([...held(a), ...held(b)]).size).toBe(4);

    await writeBars(sharedPool, 0, 400);
    await processedTo(sharedPool, 399);
    // A hands its targets over (a clean stop); B resumes them from their watermarks.
    await a.stop();
    await eventually(() => held(b).length === 4);
    await writeBars(sharedPool, 400, 600);
    await processedTo(sharedPool, 599);
    await b.stop();

    const alone = new AnalyzerService({
      settings: config(false),
      databaseUrl: single.url,
      logger: quietLogger('analyzer'),
      metricsPort: 0,
    });
    await alone.start();
    await writeBars(singlePool, 0, 400);
    await processedTo(singlePool, 399);
    await writeBars(singlePool, 400, 600);
    await processedTo(singlePool, 599);
    await alone.stop();

    const [two, one] = [await signals(sharedPool), await signals(singlePool)];
    expect(one.length).toBeGreaterThan(20);
    expect(new Set(two).size).toBe(two.length);
    expect(two).toEqual(one);
  });
});
