// /api/ohlc's streamed answers (over the cache's bound, up to 100,000 bars) on a real PostgreSQL:
// complete, in order, in pages, the same text the cached path writes, and never a non-finite number.
// And the binary read that fills the cache with a series' newest bars: the bars Prisma's findMany reads.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '../../prisma/prisma-client.ts';
import { ohlcResponseJson } from '../../web/lib/api/ohlc-json.ts';
import { ohlcResponseSchema } from '../../web/lib/api/response-schemas.ts';
import type { RangeQuery } from '../../web/lib/api/routes.ts';
import { STREAM_PAGE_BARS, streamOhlcJson } from '../../web/lib/queries/ohlc-stream.ts';
import { readNewestBarsBinary } from '../../web/lib/server/binary-stored-bars.ts';
import { readNewestBars } from '../../web/lib/server/stored-bars.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2025, 5, 2, 14, 0);
/** More than the largest answer, so a limit has to pick the newest. */
const SEEDED = 100_050;
const LIMIT = 100_000;
const oneMinute = { unit: 2, value: 1 } as const;

let database: TestDatabase;
let prisma: PrismaClient;

const query = (q: Partial<RangeQuery> = {}): RangeQuery => ({
  contractId: 'C.A',
  timeframe: oneMinute,
  from: undefined,
  to: undefined,
  limit: LIMIT,
  ...q,
});

/** The streamed answer's chunks, read to the end. */
async function readAll(stream: ReadableStream<Uint8Array>): Promise<{ text: string; chunks: number }> {
  const decoder = new TextDecoder();
  let text = '';
  let chunks = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    text += decoder.decode(chunk, { stream: true });
    chunks++;
  }
  return { text: text + decoder.decode(), chunks };
}

async function streamed(q: RangeQuery): Promise<{ text: string; chunks: number }> {
  const stream = await streamOhlcJson(prisma, q, '1m');
  if (!stream) throw new Error('expected bars');
  return readAll(stream);
}

/** What the cached path (Prisma rows → per-bar JSON) writes for the same request. */
async function cachedPathText(q: RangeQuery): Promise<string> {
  const bars = await readNewestBars(prisma, {
    contractId: q.contractId,
    timeframe: q.timeframe,
    fromMs: q.from?.getTime(),
    toMs: q.to?.getTime(),
    limit: q.limit,
  });
  return ohlcResponseJson(q.contractId, '1m', bars);
}

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient(database.url, { max: 2 });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query(`INSERT INTO contracts (id, provider, symbol) VALUES ('C.A', 'simulated', 'A'), ('C.NAN', 'simulated', 'N')`);
    // Prices with fractions JSON writes in more than one way if done wrong (0.1 steps, quarter ticks).
    await client.query(
      `INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed)
      SELECT 'C.A', to_timestamp(($1::float8 + g * $2::float8) / 1000), p, p + 1.5, p - 1.25, p + 0.1 * (g % 7), (g % 13) + 0.5, 2, 1, '1m', g < $3 - 1
        FROM generate_series(0, $3::int - 1) g, LATERAL (SELECT 5000 + (g % 97) * 0.25 AS p) AS price`,
      [T0, MINUTE, SEEDED],
    );
    await client.query(
      `INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed)
      VALUES ('C.NAN', to_timestamp($1::float8 / 1000), 'NaN', 'NaN', 'NaN', 'NaN', 1, 2, 1, '1m', true)`,
      [T0],
    );
  } finally {
    await client.end();
  }
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await database?.drop();
});

describe('streamOhlcJson', () => {
  it('answers the newest 100,000 bars complete, oldest first, in pages, as the cached path writes them', async () => {
    const { text, chunks } = await streamed(query());
    const answer = ohlcResponseSchema.parse(JSON.parse(text));
    expect(answer.bars).toHaveLength(LIMIT);
    const times = answer.bars.map((b) => Date.parse(b.timestamp));
    expect(times[0]).toBe(T0 + (SEEDED - LIMIT) * MINUTE);
    expect(times.every((t, i) => i === 0 || t - (times[i - 1] as number) === MINUTE)).toBe(true);
    expect(answer.bars.at(-1)?.is_closed).toBe(false);
    expect(chunks).toBeGreaterThanOrEqual(LIMIT / STREAM_PAGE_BARS);
    expect(text).toBe(await cachedPathText(query()));
  }, 120_000);

  it('keeps to the range: the newest `limit` bars up to `to`, none before `from`', async () => {
    const to = new Date(T0 + 60_000 * MINUTE);
    const from = new Date(T0 + 5_000 * MINUTE);
    for (const q of [query({ to }), query({ from, to }), query({ from, limit: 20_001 })]) {
      const { text } = await streamed(q);
      expect(text).toBe(await cachedPathText(q));
    }
    const { text } = await streamed(query({ from, to }));
    expect(JSON.parse(text)).toMatchObject({ bars: { length: 55_001 } });
  }, 120_000);

  it('answers null for a range without bars (the caller tells an empty series from an unknown contract)', async () => {
    expect(await streamOhlcJson(prisma, query({ to: new Date(T0 - MINUTE) }), '1m')).toBeNull();
    expect(await streamOhlcJson(prisma, query({ contractId: 'C.NONE' }), '1m')).toBeNull();
  });

  it('refuses a stored bar that JSON cannot hold (NaN) instead of writing broken JSON', async () => {
    await expect(streamOhlcJson(prisma, query({ contractId: 'C.NAN' }), '1m')).rejects.toThrow(/C\.NAN is not finite/);
  });
});

describe('readNewestBarsBinary', () => {
  it('reads the bars readNewestBars reads: the newest `limit` in range, oldest first, every field', async () => {
    const range = (r: { fromMs?: number; toMs?: number; limit: number; contractId?: string }) => ({
      contractId: r.contractId ?? 'C.A',
      timeframe: oneMinute,
      fromMs: r.fromMs,
      toMs: r.toMs,
      limit: r.limit,
    });
    for (const r of [
      range({ limit: LIMIT }),
      range({ limit: 7, toMs: T0 + 60_000 * MINUTE }),
      range({ limit: 20_001, fromMs: T0 + 5_000 * MINUTE, toMs: T0 + 30_000 * MINUTE }),
      range({ limit: 10, toMs: T0 - MINUTE }),
      range({ limit: 10, contractId: 'C.NONE' }),
    ]) {
      const binary = await readNewestBarsBinary(prisma, r);
      expect(binary).toEqual(await readNewestBars(prisma, r));
    }
    const newest = await readNewestBarsBinary(prisma, range({ limit: 3 }));
    expect(newest.map((b) => b.time)).toEqual([T0 + (SEEDED - 3) * MINUTE, T0 + (SEEDED - 2) * MINUTE, T0 + (SEEDED - 1) * MINUTE]);
    expect(newest.map((b) => b.isClosed)).toEqual([true, true, false]);
  }, 120_000);
});
