// /api/ohlc's large answers (more bars than the cache of recent bars holds for a series), streamed:
// PostgreSQL writes each page of bars as JSON text (one row per page, so Prisma decodes one string
// rather than 10,000 rows of seven fields), and the answer goes out page by page as the client
// reads it, so memory stays at one page whatever the limit. Prisma's row decoding cost ~5 µs a bar,
// which made 100,000 bars half a second of CPU before any JSON was written.
//
// The answer is the bars in one window fixed by the first query (oldest and newest bar of the
// newest `limit` in range), paged forward by time, so bars written while it streams neither push
// it past `limit` nor shift a page. Each bar's JSON is the cache path's (ohlc-json.ts) with
// PostgreSQL's float formatting (shortest round-trip text, as JSON.stringify writes it). Takes the
// client as an argument so its integration test can run it against a test database.
import { BarstreamError } from '@barstream/core';
import type { PrismaClient } from '@barstream/prisma';
import type { RangeQuery } from '../api/routes.ts';

/** Bars per page: about 1.3 MB of JSON held at a time. */
export const STREAM_PAGE_BARS = 10_000;

interface Window {
  readonly first: string;
  readonly last: string;
}

interface Page {
  readonly json: string | null;
  readonly count: bigint | number;
  readonly last: string | null;
  readonly finite: boolean | null;
}

/** Oldest and newest time of the newest `limit` bars in range, as timestamptz text (exact). */
async function answerWindow(prisma: PrismaClient, q: RangeQuery): Promise<Window | null> {
  const rows = await prisma.$queryRaw<{ first: string | null; last: string | null }[]>`
    SELECT min(t)::text AS first, max(t)::text AS last FROM (
      SELECT "timestamp" AS t FROM ohlc_bars
       WHERE contract_id = ${q.contractId} AND timeframe_unit = ${q.timeframe.unit}::smallint AND timeframe_value = ${q.timeframe.value}::int
         AND "timestamp" >= coalesce(${q.from ?? null}::timestamptz, '-infinity') AND "timestamp" <= coalesce(${q.to ?? null}::timestamptz, 'infinity')
       ORDER BY "timestamp" DESC LIMIT ${q.limit}::int) AS newest`;
  const row = rows[0];
  return row?.first && row.last ? { first: row.first, last: row.last } : null;
}

/** The page of bars after `after` (or from `first` on), up to `last`, as comma-joined bar JSON. */
async function readPage(prisma: PrismaClient, q: RangeQuery, window: Window, after: string | null): Promise<Page> {
  const rows = await prisma.$queryRaw<Page[]>`
    SELECT string_agg(
             '{"timestamp":"' || to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ||
             '","open":' || open || ',"high":' || high || ',"low":' || low || ',"close":' || close ||
             ',"volume":' || volume || ',"is_closed":' || is_closed || '}', ',' ORDER BY t) AS json,
           count(*) AS count, max(t)::text AS last,
           bool_and(abs(open) + abs(high) + abs(low) + abs(close) + abs(volume) < 'Infinity'::float8) AS finite
      FROM (SELECT "timestamp" AS t, open, high, low, close, volume, is_closed FROM ohlc_bars
             WHERE contract_id = ${q.contractId} AND timeframe_unit = ${q.timeframe.unit}::smallint AND timeframe_value = ${q.timeframe.value}::int
               AND "timestamp" > coalesce(${after}::timestamptz, ${window.first}::timestamptz - interval '1 microsecond')
               AND "timestamp" <= ${window.last}::timestamptz
             ORDER BY "timestamp" LIMIT ${STREAM_PAGE_BARS}::int) AS page`;
  const page = rows[0];
  if (!page) throw new BarstreamError('internal', 'the ohlc page query returned no row');
  // JSON has no NaN or Infinity; the writers never store them, but a row written by hand could.
  if (page.finite === false)
    throw new BarstreamError('stored_bar_not_finite', `a stored bar of ${q.contractId} is not finite (NaN or Infinity)`);
  return page;
}

/**
 * The answer's JSON text streamed page by page, or null when the range holds no bars (the caller
 * answers that case itself). The first page is read before returning, so a database that is not
 * reachable is an error response rather than a broken stream.
 */
export async function streamOhlcJson(
  prisma: PrismaClient,
  q: RangeQuery,
  timeframeText: string,
): Promise<ReadableStream<Uint8Array> | null> {
  const window = await answerWindow(prisma, q);
  if (!window) return null;
  const encoder = new TextEncoder();
  let page: Page | null = await readPage(prisma, q, window, null);
  let sentBars = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(
          encoder.encode(`{"contract_id":${JSON.stringify(q.contractId)},"timeframe":${JSON.stringify(timeframeText)},"bars":[`),
        );
      },
      // Called when the client has taken what was queued: the next page is read only then.
      async pull(controller) {
        if (page === null) {
          controller.close();
          return;
        }
        const current: Page = page;
        if (current.json) {
          controller.enqueue(encoder.encode(sentBars ? `,${current.json}` : current.json));
          sentBars = true;
        }
        const more = Number(current.count) === STREAM_PAGE_BARS && current.last !== null && current.last !== window.last;
        if (more) {
          page = await readPage(prisma, q, window, current.last);
        } else {
          page = null;
          controller.enqueue(encoder.encode(']}'));
        }
      },
    },
    { highWaterMark: 1 },
  );
}
