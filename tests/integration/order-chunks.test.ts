// A backtest's final orders written as order_chunks (migration 022: one row of arrays per batch) read back
// through run_orders exactly as the engine gave them, for any orders: every role, side, type, time in force
// and final status, NULL prices, reasons and signal keys, non-ASCII and long texts, several chunks a run.
// And the writer's split: orders still working at a batch's end stay orders rows, a final order is never
// stored twice.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { inTransaction } from '@barstream/core/node';
import type { OrderRecord } from '@barstream/core/trading';
import fc from 'fast-check';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BacktestRecordWriter } from '../../trader/src/backtest-record-writer.ts';
import { COPY_ORDER_CHUNK, OrderChunkColumns } from '../../trader/src/order-chunk-copy.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

let db: TestDatabase;
let client: pg.Client;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
});
afterAll(async () => {
  await client?.end();
  await pool?.end();
  await db?.drop();
});

const START = Date.parse('2025-03-03T14:30:00Z');
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.constant('r1:2025-03-03T14:30:00.000Z:cross_up:entry'),
);
const price = fc.oneof(fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true }));
const order = fc.record({
  clientOrderId: text,
  role: fc.constantFrom('entry', 'exit', 'stop_loss', 'take_profit', 'time_stop', 'flatten', 'manual'),
  side: fc.constantFrom('buy', 'sell'),
  orderType: fc.constantFrom('market', 'limit', 'stop', 'stop_limit'),
  tif: fc.constantFrom('gtc', 'day'),
  qty: fc.double({ noNaN: true, noDefaultInfinity: true }),
  filledQty: fc.double({ noNaN: true, noDefaultInfinity: true }),
  limitPrice: price,
  stopPrice: price,
  status: fc.constantFrom('new', 'working', 'partially_filled', 'filled', 'cancelled', 'rejected'),
  reason: fc.option(text),
  revision: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  signalKey: fc.option(text),
}) as fc.Arbitrary<OrderRecord>;
const stored = fc.record({ order, created: fc.integer({ min: 0, max: 10 ** 11 }), after: fc.integer({ min: 0, max: 10 ** 9 }) });

const sorted = <T>(rows: T[]): T[] =>
  rows
    .map((r) => [JSON.stringify(r), r] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => r);

describe('order_chunks', () => {
  it('reads back through run_orders as the orders written, one row each, exactly', async () => {
    let runId = 0;
    const columns = new OrderChunkColumns();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(stored, { minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 4 }), async (chunks) => {
        runId++;
        let seq = 1;
        for (const chunk of chunks) {
          for (const o of chunk) columns.add(o.order, START + o.created, START + o.created + o.after);
          await pipeline(Readable.from(columns.take(runId, seq)), client.query(copyFrom(COPY_ORDER_CHUNK)));
          seq += 1 + chunk.length;
        }
        const { rows } = await client.query<Record<string, unknown>>(
          `SELECT client_order_id, role, side, order_type, tif, qty, filled_qty, limit_price, stop_price, status, reason, revision,
                  signal_key, (extract(epoch FROM created_at) * 1000)::float8 AS created, (extract(epoch FROM updated_at) * 1000)::float8 AS updated
             FROM run_orders WHERE run_id = $1`,
          [runId],
        );
        // Rows in no particular order (a view without ORDER BY): both sides sorted the same way.
        expect(sorted(rows)).toEqual(
          sorted(
            chunks.flat().map(({ order: o, created, after }) => ({
              client_order_id: o.clientOrderId,
              role: o.role,
              side: o.side,
              order_type: o.orderType,
              tif: o.tif,
              qty: o.qty,
              filled_qty: o.filledQty,
              limit_price: o.limitPrice,
              stop_price: o.stopPrice,
              status: o.status,
              reason: o.reason,
              revision: o.revision,
              signal_key: o.signalKey,
              created: START + created,
              updated: START + created + after,
            })),
          ),
        );
      }),
      { numRuns: 60 },
    );
  });

  const record = (id: string, status: OrderRecord['status']): OrderRecord => ({
    clientOrderId: id,
    role: 'entry',
    side: 'buy',
    orderType: 'limit',
    tif: 'gtc',
    qty: 1,
    filledQty: status === 'filled' ? 1 : 0,
    limitPrice: 5000.25,
    stopPrice: null,
    status,
    reason: null,
    revision: 0,
    signalKey: 'k',
  });
  const write = { events: [], through: START, status: 'running' } as const;

  it('packs the orders final at a batch end, keeps working ones as rows, and refuses a final order changed later', async () => {
    const runId = 9_000;
    const writer = new BacktestRecordWriter(runId, 'MES.C');
    const order = (time: number, id: string, status: OrderRecord['status']) =>
      writer.add({ type: 'order', time: START + time, order: record(id, status) });
    order(0, 'a', 'new');
    order(0, 'a', 'working');
    order(1, 'a', 'filled');
    order(1, 'b', 'new');
    order(1, 'b', 'working');
    await inTransaction(pool, (c) => writer.store(c, writer.take(), write));
    order(2, 'b', 'cancelled');
    order(2, 'c', 'rejected');
    await inTransaction(pool, (c) => writer.store(c, writer.take(), write));
    const { rows } = await client.query(
      `SELECT 'row' AS kind, client_order_id AS id, status FROM orders WHERE run_id = $1
       UNION ALL SELECT 'packed', unnest(client_order_id), unnest(status) FROM order_chunks WHERE run_id = $1
       UNION ALL SELECT 'view', client_order_id, status FROM run_orders WHERE run_id = $1
       ORDER BY 1, 2`,
      [runId],
    );
    expect(rows).toEqual([
      { kind: 'packed', id: 'a', status: 'filled' },
      { kind: 'packed', id: 'c', status: 'rejected' },
      // still working when the first batch ended: a row, updated by the second
      { kind: 'row', id: 'b', status: 'cancelled' },
      { kind: 'view', id: 'a', status: 'filled' },
      { kind: 'view', id: 'b', status: 'cancelled' },
      { kind: 'view', id: 'c', status: 'rejected' },
    ]);
    order(3, 'a', 'cancelled');
    await expect(inTransaction(pool, (c) => writer.store(c, writer.take(), write))).rejects.toThrow(
      /order a changed after it was stored final/,
    );
  });
});
