// The flush's bar upsert takes its columns as binary arrays (ingester/src/bar-upsert-columns.ts): every
// field must arrive as it left (a non-ASCII contract id, fractional prices, a time far from the epoch, each
// timeframe unit), a closed row is never reopened, and only rows written are announced on ohlc_update.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractBar } from '../../core/src/index.ts';
import { createPool, type Pool } from '../../core/src/node.ts';
import { writeFlush } from '../../ingester/src/bar-store.ts';
import { BAR_ROW_COLUMNS, type BarRow, toContractBar } from '../../ingester/src/bar-rows.ts';
import { ChannelListener } from '../support/channel-listener.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { syncSimulatedContracts } from '../support/simulated-contracts.ts';

const IDS = ['BINARY', 'BINÄRY-€'];

let db: TestDatabase;
let pool: Pool;
beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url, { max: 2 });
  await syncSimulatedContracts(pool, IDS);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const bar = (over: Partial<ContractBar>): ContractBar => ({
  contractId: 'BINARY',
  time: Date.parse('2026-03-02T14:30:00Z'),
  open: 5000.25,
  high: 5001.75,
  low: 4999.5,
  close: 5000.125,
  volume: 12.5,
  unit: 2,
  value: 1,
  isClosed: false,
  ...over,
});

const stored = async (): Promise<ContractBar[]> =>
  (
    await pool.query<BarRow>(`SELECT ${BAR_ROW_COLUMNS} FROM ohlc_bars ORDER BY contract_id, timeframe_unit, timeframe_value, "timestamp"`)
  ).rows.map(toContractBar);

describe('writeFlush bar upsert with binary array parameters', () => {
  it('stores every field as it was sent and announces each written bar', async () => {
    const listener = await ChannelListener.listen(db.url, 'ohlcUpdate');
    const bars = [
      bar({}),
      bar({ contractId: 'BINÄRY-€', unit: 4, value: 1, time: Date.parse('2026-03-02T00:00:00Z'), volume: 1e9 + 0.5 }),
      bar({ unit: 1, value: 30, time: Date.parse('1999-12-31T23:59:30Z'), isClosed: true }),
      bar({ unit: 3, value: 4, time: Date.parse('2187-06-01T12:00:00Z'), open: 0.1, high: 0.3, low: 0.1, close: 0.2 }),
    ];
    const result = await writeFlush(pool, bars, []);
    expect(result.bars).toBe(4);
    const key = (b: ContractBar): string => `${b.contractId}|${b.unit}|${b.value}|${b.time}`;
    expect((await stored()).sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...bars].sort((a, b) => key(a).localeCompare(key(b))));
    const labels = await pool.query<{ timeframe: string }>('SELECT timeframe FROM ohlc_bars ORDER BY timeframe');
    expect(labels.rows.map((r) => r.timeframe)).toEqual(['1d', '1m', '30s', '4h']);
    const messages = await listener.take(4);
    expect(messages.map((m) => m.contract_id).sort()).toEqual(['BINARY', 'BINARY', 'BINARY', 'BINÄRY-€']);
    await listener.end();
  });

  it('leaves a closed row closed and does not announce the refused update', async () => {
    await pool.query('TRUNCATE ohlc_bars');
    const closed = bar({ isClosed: true, close: 5001 });
    await writeFlush(pool, [closed], []);
    const listener = await ChannelListener.listen(db.url, 'ohlcUpdate');
    const reopened = bar({ isClosed: false, close: 5000.5, time: closed.time });
    const other = bar({ unit: 2, value: 5 });
    const result = await writeFlush(pool, [reopened, other], []);
    expect(result.bars).toBe(1);
    expect(await stored()).toEqual([closed, other]);
    const messages = await listener.take(1);
    expect(messages.map((m) => m.timeframe_value)).toEqual([5]);
    await listener.end();
  });
});
