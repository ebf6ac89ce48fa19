// A small ticks-only flush is one statement: the ticks and their NOTIFY (several contracts in one
// payload) commit together, and a statement that fails stores nothing and notifies nothing.
import { describe, expect, it } from 'vitest';
import { tickBatchesOf, type Trade } from '../../core/src/index.ts';
import type { Pool } from '../../core/src/node.ts';
import { writeFlush } from '../../ingester/src/bar-store.ts';
import { ONE_STATEMENT_MAX_TICKS } from '../../ingester/src/tick-flush-statement.ts';
import { ChannelListener } from '../support/channel-listener.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { useTestDatabase } from '../support/use-test-database.ts';

let db: TestDatabase;
let pool: Pool;
useTestDatabase((ground) => {
  ({ db, pool } = ground);
});

const T0 = Date.parse('2026-03-02T14:30:00Z');
const trade = (contractId: string, i: number, extra: Partial<Trade> = {}): Trade => ({
  contractId,
  time: T0 + i * 250 + 0.5,
  price: 5000 + i * 0.25,
  volume: 1 + i,
  side: 'buy',
  ...extra,
});

const storedTicks = async (): Promise<number> => (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ticks')).rows[0]?.n ?? -1;

describe('a small ticks-only flush', () => {
  it('stores the ticks and sends one NOTIFY carrying every contract, microseconds and trade ids kept', async () => {
    await pool.query('TRUNCATE ticks');
    const listener = await ChannelListener.listen(db.url, 'tickData');
    const trades = [trade('A', 0, { tradeId: 'x"1\\' }), trade('B', 1), trade('A', 2)];
    const result = await writeFlush(pool, [], trades);
    expect(result).toEqual({ bars: 0, ticks: 3, notifies: 1 });
    const [message, ...more] = await listener.take(1);
    await listener.end();
    expect(more).toEqual([]);
    const batches = tickBatchesOf(message as NonNullable<typeof message>);
    expect(batches.map((b) => [b.contract_id, b.ticks.map((t) => t.price)])).toEqual([
      ['A', [5000, 5000.5]],
      ['B', [5000.25]],
    ]);
    const { rows } = await pool.query<{ t: string; trade_id: string | null }>(
      `SELECT to_char("timestamp" AT TIME ZONE 'UTC', 'HH24:MI:SS.US') AS t, trade_id FROM ticks ORDER BY "timestamp"`,
    );
    expect(rows).toEqual([
      { t: '14:30:00.000500', trade_id: 'x"1\\' },
      { t: '14:30:00.250500', trade_id: null },
      { t: '14:30:00.500500', trade_id: null },
    ]);
  });

  it('stores nothing and notifies nothing when a row is refused', async () => {
    await pool.query('TRUNCATE ticks');
    const listener = await ChannelListener.listen(db.url, 'tickData');
    // A price the table's CHECK refuses (the pipeline's validator never lets one through; a side it
    // refuses is named before anything is sent: tick-buffer.test.ts).
    const bad = [trade('A', 0), trade('A', 1, { price: -1 })];
    await expect(writeFlush(pool, [], bad)).rejects.toThrow(/ticks_price_check|violates check constraint/);
    expect(await storedTicks()).toBe(0);
    // NOTIFYs arrive in commit order: once the next flush's arrives, an earlier one would have too.
    await writeFlush(pool, [], [trade('C', 5)]);
    const received = await listener.take(1);
    await listener.end();
    expect(received.flatMap((m) => tickBatchesOf(m).map((b) => b.contract_id))).toEqual(['C']);
    expect(await storedTicks()).toBe(1);
  });

  it('takes the COPY path beyond its size, with the same result', async () => {
    await pool.query('TRUNCATE ticks');
    const trades = Array.from({ length: ONE_STATEMENT_MAX_TICKS + 1 }, (_, i) => trade(i % 2 ? 'A' : 'B', i));
    const result = await writeFlush(pool, [], trades);
    expect(result.ticks).toBe(ONE_STATEMENT_MAX_TICKS + 1);
    expect(await storedTicks()).toBe(ONE_STATEMENT_MAX_TICKS + 1);
  });
});
