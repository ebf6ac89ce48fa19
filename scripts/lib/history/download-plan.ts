// What a download has to fetch: the requested range cut into chunks (a trade date, or one bar for
// multi-day timeframes), which chunks ohlc_bars already holds, and the fetch windows over the rest.
import { DAY_MS, fixedLengthMs, HOUR_MS, type Timeframe } from '@barstream/core';
import type { Pool } from '@barstream/core/node';
import type { TradingHours } from './trading-hours.ts';

/** A slice of the label axis: bars whose open time (label) is in [from, to) belong to it. */
export interface Chunk {
  readonly from: number;
  readonly to: number;
  /** Trade dates [firstDate, endDate) whose sessions feed this chunk. */
  readonly firstDate: number;
  readonly endDate: number;
  /** When its last bar closes: before that the vendor cannot have all of it. */
  readonly closesAt: number;
  /** Bars the trading hours expect here (0: no session, e.g. a CME weekend). */
  readonly expected: number;
}

/** Trade dates, both inclusive, as 00:00 UTC; no end means up to now. */
export interface DateRange {
  readonly startDate: number;
  readonly endDate: number | undefined;
}

export type ChunkStatus = 'covered' | 'missing' | 'no_session';

/** One provider request range: whole chunks, consecutive, within a bar budget. */
export interface FetchWindow {
  readonly from: number;
  readonly to: number;
  readonly expected: number;
  readonly chunks: number;
}

export interface SeriesPlan {
  readonly chunks: readonly Chunk[];
  readonly status: readonly ChunkStatus[];
  readonly windows: readonly FetchWindow[];
}

/** Chunks tiling the labels of the dates in `range`, none starting at or after `now`. */
export function planChunks(hours: TradingHours, tf: Timeframe, range: DateRange, now: number): Chunk[] {
  const chunks: Chunk[] = [];
  const calendar = hours.calendar;
  const length = fixedLengthMs(tf);
  const lastDate = range.endDate ?? Number.POSITIVE_INFINITY;
  for (let date = range.startDate; date <= lastDate;) {
    let chunk: Chunk;
    if (length !== undefined) {
      const session = hours.session(date);
      chunk = {
        from: labelStart(calendar.sessionOpen(date), length),
        to: labelStart(calendar.sessionOpen(date + DAY_MS), length),
        firstDate: date,
        endDate: date + DAY_MS,
        closesAt: calendar.sessionOpen(date + DAY_MS),
        expected: session ? hours.sessionBarCount(session, tf) : 0,
      };
    } else {
      // Day, week and month bars are labelled by date: one chunk per bar.
      const bucket = calendar.bucket(calendar.sessionOpen(date), tf);
      const endDate = calendar.bucketDates(calendar.sessionOpen(date), tf).end;
      let sessions = 0;
      for (let d = calendar.tradeDate(bucket.from); d < endDate; d += DAY_MS) if (hours.session(d)) sessions++;
      chunk = {
        from: bucket.time,
        to: endDate,
        firstDate: calendar.tradeDate(bucket.from),
        endDate,
        closesAt: bucket.to,
        expected: sessions > 0 ? 1 : 0,
      };
    }
    if (chunk.from >= now) break;
    chunks.push(chunk);
    date = chunk.endDate;
  }
  return chunks;
}

/** Intraday labels under an hour are epoch-aligned: a bucket straddling the session open belongs to the session. */
function labelStart(sessionOpen: number, length: number): number {
  return length < HOUR_MS ? Math.floor(sessionOpen / length) * length : sessionOpen;
}

export interface StoredChunk {
  /** Closed bars stored in the chunk. */
  readonly stored: number;
  /** The newest updated_at among them (epoch ms), undefined when none. */
  readonly lastWrite: number | undefined;
}

const COVERAGE = `
SELECT c.i::int AS i, count(b."timestamp")::int AS stored, (extract(epoch FROM max(b.updated_at)) * 1000)::float8 AS last_write
  FROM unnest($4::float8[], $5::float8[]) WITH ORDINALITY AS c(f, t, i)
  LEFT JOIN ohlc_bars b ON b.contract_id = $1 AND b.timeframe_unit = $2 AND b.timeframe_value = $3 AND b.is_closed
   AND b."timestamp" >= timestamptz 'epoch' + c.f * interval '1 millisecond'
   AND b."timestamp" < timestamptz 'epoch' + c.t * interval '1 millisecond'
 GROUP BY c.i ORDER BY c.i`;

/** What ohlc_bars holds of each chunk, in one query (an index range scan per chunk). */
export async function storedChunks(pool: Pool, contractId: string, tf: Timeframe, chunks: readonly Chunk[]): Promise<StoredChunk[]> {
  if (chunks.length === 0) return [];
  const { rows } = await pool.query<{ i: number; stored: number; last_write: number | null }>(COVERAGE, [
    contractId,
    tf.unit,
    tf.value,
    chunks.map((c) => c.from),
    chunks.map((c) => c.to),
  ]);
  return rows.map((r) => ({ stored: r.stored, lastWrite: r.last_write ?? undefined }));
}

/**
 * A chunk is covered when it holds closed bars written after it ended: a download is written a chunk
 * at a time, so such a chunk came whole from the vendor. Bars written before the chunk ended (an
 * earlier download that reached into a session still trading) leave it missing, to be completed.
 */
export function chunkStatus(chunk: Chunk, stored: StoredChunk, now: number, force: boolean): ChunkStatus {
  if (chunk.expected === 0) return 'no_session';
  if (force || chunk.closesAt > now) return 'missing';
  return stored.stored > 0 && stored.lastWrite !== undefined && stored.lastWrite >= chunk.closesAt ? 'covered' : 'missing';
}

/**
 * Runs of missing chunks become fetch windows of at most `maxBars` expected bars (a single chunk may
 * exceed it; the client pages within). Chunks without a session inside a run ride along for free, so
 * a weekend does not split a week's request in two.
 */
export function planWindows(chunks: readonly Chunk[], status: readonly ChunkStatus[], maxBars: number): FetchWindow[] {
  const windows: FetchWindow[] = [];
  let open: { from: number; to: number; expected: number; chunks: number } | undefined;
  let pendingFree: Chunk[] = [];
  const close = (): void => {
    if (open) windows.push(open);
    open = undefined;
    pendingFree = [];
  };
  chunks.forEach((chunk, i) => {
    const s = status[i];
    if (s === 'covered') return close();
    if (s === 'no_session') {
      if (open) pendingFree.push(chunk);
      return;
    }
    if (open && open.expected + chunk.expected > maxBars) close();
    if (!open) {
      open = { from: chunk.from, to: chunk.to, expected: chunk.expected, chunks: 1 };
      return;
    }
    open.to = chunk.to;
    open.expected += chunk.expected;
    open.chunks += pendingFree.length + 1;
    pendingFree = [];
  });
  close();
  return windows;
}

export async function planSeries(
  pool: Pool,
  contractId: string,
  tf: Timeframe,
  hours: TradingHours,
  range: DateRange,
  options: { now: number; force: boolean; maxBarsPerWindow: number },
): Promise<SeriesPlan> {
  const chunks = planChunks(hours, tf, range, options.now);
  const stored = await storedChunks(pool, contractId, tf, chunks);
  const status = chunks.map((c, i) => chunkStatus(c, stored[i] ?? { stored: 0, lastWrite: undefined }, options.now, options.force));
  return { chunks, status, windows: planWindows(chunks, status, options.maxBarsPerWindow) };
}
