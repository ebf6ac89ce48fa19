// The analyzer service's SMC path end to end: bars stored by the ingester's writer (ohlc_update NOTIFY)
// reach the configured study instances through LISTEN, across a stop and restart with bars stored
// while it was down, and the tables end equal to the batch answer with every change announced.
import { describe, expect, it } from 'vitest';
import { type ContractBar, type OhlcBar } from '../../core/src/index.ts';
import type { Pool } from '../../core/src/node/db-pool.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import { AnalyzerService } from '../../analyzer/src/analyzer-service.ts';
import { smcInstances } from '../../analyzer/src/smc-instances.ts';
import { readStoredSmcRows } from '../../analyzer/src/smc-stored-rows.ts';
import { writeFlush } from '../../ingester/src/bar-store.ts';
import { ChannelListener } from '../support/channel-listener.ts';
import { eventually } from '../support/eventually.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { batchTableRows, rowDifferences } from '../support/smc-batch-rows.ts';
import { syntheticBars } from '../support/synthetic-bars.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { useTestDatabase } from '../support/use-test-database.ts';

const CONTRACT = 'SIM.SMC';
const START = Date.parse('2025-03-17T00:00:00Z');
let db: TestDatabase;
let pool: Pool;

const settings = parseSettings({
  contracts: [{ id: CONTRACT, provider: 'simulated', symbol: CONTRACT, tick_size: 0.25, session_calendar: 'utc' }],
  ingester: { contracts: [CONTRACT] },
  analyzer: {
    metrics_port: 0,
    smc: [
      { study_id: 'live', contract_id: CONTRACT, timeframes: ['5m'], params: { swing_length: 4 }, from: new Date(START).toISOString() },
    ],
  },
});
const instance = smcInstances(settings)[0]!;

useTestDatabase((ground) => ({ db, pool } = ground));

const write = (bars: readonly OhlcBar[]) =>
  writeFlush(
    pool,
    bars.map((b): ContractBar => ({ ...b, contractId: CONTRACT, unit: 2, value: 5, isClosed: true })),
    [],
  );

const through = async (): Promise<number | undefined> =>
  (
    await pool.query<{ t: number }>(
      `SELECT (extract(epoch FROM through) * 1000)::float8 AS t FROM smc_study_state WHERE study_id = 'live' AND contract_id = $1`,
      [CONTRACT],
    )
  ).rows[0]?.t;

describe('analyzer SMC studies, live through LISTEN', () => {
  it('stores the batch answer across a restart, announcing each write', async () => {
    const bars = syntheticBars(240, { start: START, stepMs: 5 * 60_000, seed: 11 });
    const notices = await ChannelListener.listen(db.url, 'smcUpdate');
    const service = () => new AnalyzerService({ settings, databaseUrl: db.url, logger: quietLogger('analyzer'), metricsPort: 0 });
    const first = service();
    await first.start();
    for (let i = 0; i < 100; i++) await write([bars[i]!]);
    await eventually(async () => (await through()) === bars[99]!.time);
    await first.stop(); // waits for the pass under way: health is final
    expect(first.health()).toMatchObject({
      smc: [{ study: `live|${CONTRACT}|5m`, through: new Date(bars[99]!.time).toISOString(), error: null }],
    });

    await write(bars.slice(100, 180)); // while down
    const second = service();
    await second.start();
    for (let i = 180; i < 240; i++) await write([bars[i]!]);
    await eventually(async () => (await through()) === bars[239]!.time);
    await second.stop();

    expect(rowDifferences(await readStoredSmcRows(pool, instance), batchTableRows(bars, instance.params))).toEqual([]);
    // The write of the last bar changed rows (this series' last bar moves provisional swings), so its
    // notification is the last one to arrive.
    await eventually(() => notices.messages.at(-1)?.through === new Date(bars[239]!.time).toISOString());
    expect(notices.messages.length).toBeGreaterThan(20);
    expect(notices.messages.every((m) => m.study_id === 'live' && m.timeframe === '5m')).toBe(true);
    await notices.end();
  });
});
