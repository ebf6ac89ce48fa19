// /api/ohlc's large answers that the cache of recent bars does not hold (a range before the bars it
// holds, or while its LISTEN connection is down; web/lib/queries/ohlc.ts), streamed:
// PostgreSQL sends each page of bars as one binary string (one row per page, so Prisma decodes one
// value rather than 10,000 rows of seven fields: its row decoding cost ~5 µs a bar, half a second
// for 100,000 before any JSON was written), written here as JSON (binary-bars-json.ts), and the
// answer goes out page by page as the client reads it, so memory stays at a few pages whatever the limit.
//
// The answer is the bars in one window fixed by the first query (oldest and newest bar of the
// newest `limit` in range), paged forward by time, so bars written while it streams neither push
// it past `limit` nor shift a page. Each bar's JSON is the cache path's (ohlc-json.ts). Takes the
// client as an argument so its integration test can run it against a test database.
import { BarstreamError } from '@barstream/core';
import type { PrismaClient } from '@barstream/prisma';
import { binaryBarsJson } from '../api/binary-bars-json.ts';
import type { RangeQuery } from '../api/routes.ts';

/** Bars per page: about 1.3 MB of JSON held at a time. */
export const STREAM_PAGE_BARS = 10_000;

interface Window {
  readonly first: string;
  readonly last: string;
}

interface Page {
  readonly bars: Uint8Array | null;
  readonly count: bigint | number;
  readonly last: string | null;
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

/** The page of bars after `after` (or from `first` on), up to `last`, in binary (binary-bars-json.ts). */
async function readPage(prisma: PrismaClient, q: RangeQuery, window: Window, after: string | null): Promise<Page> {
  const rows = await prisma.$queryRaw<Page[]>`
    SELECT string_agg(timestamptz_send(t) || float8send(open) || float8send(high) || float8send(low) || float8send(close) ||
                      float8send(volume) || boolsend(is_closed), ''::bytea ORDER BY t) AS bars,
           count(*) AS count, max(t)::text AS last
      FROM (SELECT "timestamp" AS t, open, high, low, close, volume, is_closed FROM ohlc_bars
             WHERE contract_id = ${q.contractId} AND timeframe_unit = ${q.timeframe.unit}::smallint AND timeframe_value = ${q.timeframe.value}::int
               AND "timestamp" > coalesce(${after}::timestamptz, ${window.first}::timestamptz - interval '1 microsecond')
               AND "timestamp" <= ${window.last}::timestamptz
             ORDER BY "timestamp" LIMIT ${STREAM_PAGE_BARS}::int) AS page`;
  const page = rows[0];
  if (!page) throw new BarstreamError('internal', 'the ohlc page query returned no row');
  return page;
}

/** Whether pages come after `page` in the window. */
const morePages = (page: Page, window: Window): boolean =>
  Number(page.count) === STREAM_PAGE_BARS && page.last !== null && page.last !== window.last;

/**
 * The answer's JSON text streamed page by page, or null when the range holds no bars (the caller
 * answers that case itself). The first page is read (and written) before returning, so a database
 * that is not reachable, or a bar JSON cannot hold, is an error response rather than a broken
 * stream. The next page's read is under way while a page is written: PostgreSQL and Node work at
 * the same time, and at most three pages are held (one queued, one written, one being read).
 */
export async function streamOhlcJson(
  prisma: PrismaClient,
  q: RangeQuery,
  timeframeText: string,
): Promise<ReadableStream<Uint8Array> | null> {
  const window = await answerWindow(prisma, q);
  if (!window) return null;
  const encoder = new TextEncoder();
  const readAfter = (page: Page): Promise<Page> | null => {
    if (!morePages(page, window)) return null;
    const next = readPage(prisma, q, window, page.last);
    next.catch(() => undefined); // awaited in pull(); a client that left never awaits it
    return next;
  };
  const first = await readPage(prisma, q, window, null);
  let next = readAfter(first);
  let json: Uint8Array | null = first.bars ? binaryBarsJson(first.bars, q.contractId) : null;
  const comma = encoder.encode(',');
  let sentBars = false;
  let done = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(
          encoder.encode(`{"contract_id":${JSON.stringify(q.contractId)},"timeframe":${JSON.stringify(timeframeText)},"bars":[`),
        );
      },
      // Called when the client has taken what was queued: one page is sent per call.
      async pull(controller) {
        if (done) {
          controller.close();
          return;
        }
        if (json && json.byteLength > 0) {
          if (sentBars) controller.enqueue(comma);
          controller.enqueue(json);
          sentBars = true;
        }
        if (next === null) {
          done = true;
          controller.enqueue(encoder.encode(']}'));
          return;
        }
        const page = await next;
        next = readAfter(page);
        json = page.bars ? binaryBarsJson(page.bars, q.contractId) : null;
      },
    },
    { highWaterMark: 1 },
  );
}
