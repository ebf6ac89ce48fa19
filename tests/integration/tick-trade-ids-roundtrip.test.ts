// Numbered trade ids (core's Trade.tradeId as a number) stored through a real PostgreSQL: by the binary COPY
// (the digits written straight into the row) and by the one-statement flush, ticks.trade_id holds exactly
// String(n), as it held when the id came as text; ids that stay text are stored as they came.
import { describe, expect, it } from 'vitest';
import { tradeIdText, type Trade } from '../../core/src/index.ts';
import type { Pool } from '../../core/src/node.ts';
import { writeFlush } from '../../ingester/src/bar-store.ts';
import { ONE_STATEMENT_MAX_TICKS } from '../../ingester/src/tick-flush-statement.ts';
import { TickBuffer } from '../../ingester/src/tick-buffer.ts';
import { useTestDatabase } from '../support/use-test-database.ts';

let pool: Pool;
useTestDatabase((ground) => {
  ({ pool } = ground);
});

const T0 = Date.parse('2026-03-02T14:30:00Z');

/** Ids of every magnitude from 1 to 16 digits, the range's ends and each power of ten, then text ids. */
function ids(count: number): Trade['tradeId'][] {
  const edges: Trade['tradeId'][] = [
    0,
    1,
    9,
    10,
    99_999_999,
    100_000_000,
    100_000_001,
    800_000_001,
    Number.MAX_SAFE_INTEGER - 1,
    Number.MAX_SAFE_INTEGER,
  ];
  const texts: Trade['tradeId'][] = ['007', '0', '9007199254740993', 'SIM.X-29478240-3', 'x"1\\', 'é', undefined];
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const out = [...edges, ...texts];
  for (let k = 0; out.length < count; k++) out.push(Math.min(Number.MAX_SAFE_INTEGER, Math.floor(random() * 10 ** ((k % 16) + 1))));
  return out.slice(0, count);
}

const tradesWith = (tradeIds: readonly Trade['tradeId'][]): Trade[] =>
  tradeIds.map((tradeId, i) => ({
    contractId: i % 2 === 0 ? 'A' : 'B',
    time: T0 + i + 0.5,
    price: 5000 + (i % 40) * 0.25,
    volume: 1,
    side: 'buy',
    ...(tradeId === undefined ? {} : { tradeId }),
  }));

/** The stored ids in tick order. */
async function storedIds(): Promise<(string | null)[]> {
  const { rows } = await pool.query<{ trade_id: string | null }>('SELECT trade_id FROM ticks ORDER BY "timestamp"');
  return rows.map((r) => r.trade_id);
}

describe('numbered trade ids stored', () => {
  it.each([
    ['the binary COPY', ONE_STATEMENT_MAX_TICKS + 700],
    ['the one-statement flush', ONE_STATEMENT_MAX_TICKS],
  ])('by %s: trade_id is String(n), text ids as they came', async (_, count) => {
    const trades = tradesWith(ids(count));
    expect(trades.filter((t) => typeof t.tradeId === 'number').length).toBeGreaterThan(count - 10);
    const expected = trades.map((t) => tradeIdText(t.tradeId) ?? null);
    expect(expected).toContain('9007199254740991');
    // Through the buffer, as the flusher hands a batch on (numbers in its tradeNo column).
    const buffer = new TickBuffer();
    for (const t of trades) buffer.append(t);
    const batch = buffer.take(count);
    expect(batch.tradeNo).toBeDefined();
    await pool.query('TRUNCATE ticks');
    expect((await writeFlush(pool, [], batch)).ticks).toBe(count);
    expect(await storedIds()).toEqual(expected);
    // The same trades with every id as text, as they were stored before: the same rows.
    await pool.query('TRUNCATE ticks');
    await writeFlush(pool, [], tradesWith(expected.map((id) => id ?? undefined)));
    expect(await storedIds()).toEqual(expected);
  });
});
