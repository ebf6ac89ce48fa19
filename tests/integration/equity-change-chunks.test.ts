// A backtest's equity points written as equity_change_chunks (migration 021: values stored once per change,
// times as spans of even steps) read back through run_equity exactly as the engine emitted them, for any
// points: futures-like ones (unrealized PnL = position value, account values changing at a few points) and
// crypto-like ones (every value changing every point), times with gaps and fractional milliseconds.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EngineEvent } from '@barstream/core/trading';
import fc from 'fast-check';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COPY_EQUITY_CHANGE_CHUNK, EquityColumns } from '../../trader/src/equity-change-chunk-copy.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

type EquityEvent = Extract<EngineEvent, { type: 'equity' }>;

let db: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await db?.drop();
});

const START = Date.parse('2025-03-03T14:30:00Z');
/** Money units small enough that cash + position value stays a safe integer. */
const money = fc.integer({ min: -(2 ** 50), max: 2 ** 50 });
/** A point's values, each kept from the point before with probability `keep`. */
const points = (keep: number) =>
  fc
    .array(
      fc.record({
        gap: fc.oneof(fc.constant(60_000), fc.constant(60_000), fc.integer({ min: 1, max: 10 ** 9 }), fc.constant(0.5)),
        changes: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }),
        cash: money,
        positionValue: money,
        unrealizedPnl: money,
        realizedPnl: money,
        fees: fc.integer({ min: 0, max: 2 ** 50 }),
        marginUsed: fc.integer({ min: 0, max: 2 ** 50 }),
        position: fc.oneof(fc.constant(0), fc.double({ min: -1000, max: 1000, noNaN: true, noDefaultInfinity: true })),
        futures: fc.boolean(),
      }),
      { minLength: 1, maxLength: 60 },
    )
    .map((steps) => {
      const out: EquityEvent[] = [];
      let time = START;
      for (const s of steps) {
        const prev = out[out.length - 1];
        time += prev ? s.gap : 0;
        const kept = <T>(i: number, fresh: T, old: T | undefined): T =>
          old !== undefined && (s.changes[i] as number) < keep ? old : fresh;
        const positionValue = kept(0, s.positionValue, prev?.positionValue);
        const cash = kept(1, s.cash, prev?.cash);
        out.push({
          type: 'equity',
          time,
          cash,
          equity: cash + positionValue,
          positionValue,
          unrealizedPnl: s.futures ? positionValue : kept(2, s.unrealizedPnl, prev?.unrealizedPnl),
          realizedPnl: kept(3, s.realizedPnl, prev?.realizedPnl),
          fees: kept(4, s.fees, prev?.fees),
          marginUsed: kept(5, s.marginUsed, prev?.marginUsed),
          position: kept(1, s.position, prev?.position),
        });
      }
      return out;
    });

const units = (v: number): string => BigInt(v).toString();

describe('equity_change_chunks', () => {
  it('reads back through run_equity as the points written, one row each, exactly', async () => {
    let runId = 0;
    const columns = new EquityColumns();
    await fc.assert(
      fc.asyncProperty(fc.oneof(points(0.9), points(0.2), points(0)), async (written) => {
        runId++;
        for (const p of written) columns.add(p);
        expect(columns.lastEquity).toBe((written[written.length - 1] as EquityEvent).equity);
        const input = columns.take(runId);
        await pipeline(Readable.from(input), client.query(copyFrom(COPY_EQUITY_CHANGE_CHUNK)));
        const { rows } = await client.query<Record<string, unknown>>(
          `SELECT (extract(epoch FROM "time") * 1000)::float8 AS time, (cash * 100000000)::bigint::text AS cash,
                  (equity * 100000000)::bigint::text AS equity, (position_value * 100000000)::bigint::text AS position_value,
                  (unrealized_pnl * 100000000)::bigint::text AS unrealized_pnl, (realized_pnl * 100000000)::bigint::text AS realized_pnl,
                  (fees * 100000000)::bigint::text AS fees, (margin_used * 100000000)::bigint::text AS margin_used, position
             FROM run_equity WHERE run_id = $1 ORDER BY "time"`,
          [runId],
        );
        expect(rows).toEqual(
          written.map((p) => ({
            time: p.time,
            cash: units(p.cash),
            equity: units(p.equity),
            position_value: units(p.positionValue),
            unrealized_pnl: units(p.unrealizedPnl),
            realized_pnl: units(p.realizedPnl),
            fees: units(p.fees),
            margin_used: units(p.marginUsed),
            position: p.position,
          })),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('stores a futures-like curve as spans: the account values once per change, the times once per even stretch', async () => {
    const columns = new EquityColumns();
    const curve: EquityEvent[] = [];
    for (let i = 0; i < 1000; i++) {
      const time = START + i * 60_000 + (i >= 500 ? 3_600_000 : 0);
      const fill = Math.floor(i / 100);
      const pv = (i % 17) * 1_250_000;
      curve.push({
        type: 'equity',
        time,
        cash: 10_000 * 1e8 + fill * 62_000_000,
        equity: 10_000 * 1e8 + fill * 62_000_000 + pv,
        positionValue: pv,
        unrealizedPnl: pv,
        realizedPnl: fill * 1e8,
        fees: fill * 62_000_000,
        marginUsed: fill % 2 === 0 ? 0 : 1500 * 1e8,
        position: fill % 2 === 0 ? 0 : 1,
      });
    }
    for (const p of curve) columns.add(p);
    await pipeline(Readable.from(columns.take(9999)), client.query(copyFrom(COPY_EQUITY_CHANGE_CHUNK)));
    const { rows } = await client.query(
      `SELECT points, cardinality(time_starts) AS times, cardinality(account_counts) AS accounts, cardinality(margin_counts) AS margins,
              cardinality(position_value) AS values, cardinality(unrealized_pnl) AS unrealized
         FROM equity_change_chunks WHERE run_id = 9999`,
    );
    expect(rows).toEqual([{ points: 1000, times: 2, accounts: 10, margins: 10, values: 1000, unrealized: 0 }]);
  });
});
