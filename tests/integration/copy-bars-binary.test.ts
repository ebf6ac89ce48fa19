// The binary COPY bar reader against a real PostgreSQL: exact times (ms, before 2000, far future),
// rows split across network chunks, and a clear error for a NULL column or a query failing midway.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyBarsBinary } from '../../core/src/node/copy-bars-binary.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

let db: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => {
  await client.end();
  await db.drop();
});

describe('copyBarsBinary', () => {
  it('reads timestamps exactly, including milliseconds and dates before 2000', async () => {
    const times = [
      '1970-01-01T00:00:00.000Z',
      '1999-12-31T23:59:59.999Z',
      '2000-01-01T00:00:00.001Z',
      '2026-11-21T15:46:00.123Z',
      '2262-04-11T23:47:16.854Z',
    ];
    const query = `SELECT t::timestamptz, 1.5::float8, 2.25::float8, 0.125::float8, 1::float8, 42::float8
      FROM unnest(ARRAY['${times.join("','")}']) AS t ORDER BY 1`;
    const bars = await copyBarsBinary(client, query);
    expect(bars.map((b) => new Date(b.time).toISOString())).toEqual(times);
    expect(bars[0]).toMatchObject({ open: 1.5, high: 2.25, low: 0.125, close: 1, volume: 42 });
  });

  it('parses rows that straddle chunk boundaries (200,000 rows)', async () => {
    const bars = await copyBarsBinary(
      client,
      `SELECT to_timestamp(i * 60), i::float8, i + 0.5::float8, i - 0.5::float8, i + 0.25::float8, (i % 7)::float8
      FROM generate_series(1, 200000) AS i`,
    );
    expect(bars).toHaveLength(200_000);
    const wrong = bars.findIndex(
      (b, k) => b.time !== (k + 1) * 60_000 || b.open !== k + 1 || b.close !== k + 1.25 || b.volume !== (k + 1) % 7,
    );
    expect(wrong).toBe(-1);
  });

  it('reads is_closed as a seventh column when asked', async () => {
    const bars = await copyBarsBinary(
      client,
      `SELECT to_timestamp(i * 60), 1::float8, 2::float8, 0.5::float8, 1.5::float8, 3::float8, (i % 2 = 0)::int::float8
      FROM generate_series(1, 4) AS i`,
      { withClosed: true },
    );
    expect(bars.map((b) => b.isClosed)).toEqual([false, true, false, true]);
    await expect(
      copyBarsBinary(client, `SELECT now(), 1::float8, 1::float8, 1::float8, 1::float8, 1::float8`, { withClosed: true }),
    ).rejects.toThrow(/expected 7 columns, got 6/);
  });

  it('names the column that is NULL', async () => {
    await expect(copyBarsBinary(client, `SELECT now(), 1::float8, NULL::float8, 1::float8, 1::float8, 1::float8`)).rejects.toThrow(
      /column 2 is NULL/,
    );
    const { rows } = await client.query('SELECT 1 AS ok');
    expect(rows[0]).toEqual({ ok: 1 }); // the connection is still usable
  });

  it('fails with the database error when the query fails midway, and leaves the connection usable', async () => {
    // Rows go out before row 150,000 divides by zero: the error arrives in the middle of the COPY's output.
    await expect(
      copyBarsBinary(
        client,
        `SELECT to_timestamp(i * 60), i::float8, i::float8, i::float8, i::float8, (1 / (150000 - i))::float8
        FROM generate_series(1, 200000) AS i`,
      ),
    ).rejects.toThrow(/division by zero/);
    const { rows } = await client.query('SELECT 2 AS ok');
    expect(rows[0]).toEqual({ ok: 2 });
    await expect(copyBarsBinary(client, 'SELECT nonsense FROM nowhere')).rejects.toThrow(/nowhere/);
    expect(await copyBarsBinary(client, `SELECT now(), 1::float8, 1::float8, 1::float8, 1::float8, 1::float8`)).toHaveLength(1);
  });

  it('rejects a query with the wrong column count', async () => {
    await expect(copyBarsBinary(client, `SELECT now(), 1::float8`)).rejects.toThrow(/expected 6 columns, got 2/);
  });
});
