// A paper run the trader creates running (a `mode: paper` file) has its first bar fixed in the INSERT:
// a crash between creating it and its first step (seen in the chaos run) must not start it later.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../../core/src/node/db-pool.ts';
import { parseStrategyRunConfig } from '../../core/src/trading/index.ts';
import { fixPaperStart } from '../../trader/src/run-rows.ts';
import { insertRun } from '../../trader/src/run-store.ts';
import { CONTRACT, FIVE_MIN, insertBars, insertContract, syntheticBars } from '../support/trading-fixture.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

let db: TestDatabase;
let pool: Pool;
const BARS = syntheticBars(20);

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url, { max: 2 });
  await insertContract(pool);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const config = parseStrategyRunConfig({
  kind: 'paper',
  id: 'start-fixed',
  contract: CONTRACT,
  timeframe: '5m',
  signals: { analyzer_id: 'ema_cross', map: { buy: 'entry_long' } },
  instrument: { kind: 'future', tick_size: 0.25, tick_value: 1.25 },
  sizing: { type: 'fixed', qty: 1 },
  starting_capital: 10_000,
});

async function rangeFrom(runId: number): Promise<number | null> {
  const { rows } = await pool.query<{ t: number | null }>(
    'SELECT (extract(epoch FROM range_from) * 1000)::float8 AS t FROM strategy_runs WHERE run_id = $1',
    [runId],
  );
  return rows[0]?.t ?? null;
}

describe('a paper run created running', () => {
  it('trades from every bar when none is stored yet, and keeps that start when bars arrive before its first step', async () => {
    const runId = await insertRun(pool, { strategyId: null, config, status: 'running' });
    expect(await rangeFrom(runId)).toBe(0);
    await insertBars(pool, BARS.slice(0, 2));
    expect(await fixPaperStart(pool, runId)).toBe(0);
  });

  it('starts after the last closed bar stored when it is created', async () => {
    await insertBars(pool, BARS.slice(2, 10));
    const lastClosed = BARS[9]?.time as number;
    const runId = await insertRun(pool, { strategyId: null, config, status: 'running' });
    expect(await rangeFrom(runId)).toBe(lastClosed + 1);
    await insertBars(pool, BARS.slice(10, 12));
    expect(await fixPaperStart(pool, runId)).toBe(lastClosed + 1);
    expect(lastClosed + FIVE_MIN).toBe(BARS[10]?.time);
  });

  it('leaves a paper run created (not running) to be fixed when it is first started, as the API does', async () => {
    const runId = await insertRun(pool, { strategyId: null, config, status: 'created' });
    expect(await rangeFrom(runId)).toBeNull();
  });
});
