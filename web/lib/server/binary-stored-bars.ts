// The newest `limit` bars of a series in one read, sent by PostgreSQL in their binary form (one
// bytea of 49 bytes a bar, as ohlc-stream.ts reads its pages, through Prisma's $queryRaw) and
// decoded here into StoredBars. What the cache of recent bars fills a series with: Prisma's
// findMany decodes each row's seven fields at about 6 µs a bar, 0.6 s of CPU for the 100,000 bars
// of /api/ohlc's largest answer. Takes the client as an argument for its integration test.
import { BarstreamError } from '@barstream/core';
import type { PrismaClient } from '@barstream/prisma';
import { BINARY_BAR_BYTES, epochMs } from '../api/binary-bars-json.ts';
import type { BarRange, StoredBar } from './stored-bars.ts';

/** The bars of one binary page, ascending as sent. */
export function storedBarsFromBinary(bytes: Uint8Array): StoredBar[] {
  if (bytes.byteLength % BINARY_BAR_BYTES !== 0) {
    throw new BarstreamError('internal', `binary bars are ${bytes.byteLength} bytes, not a multiple of ${BINARY_BAR_BYTES}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bars = new Array<StoredBar>(bytes.byteLength / BINARY_BAR_BYTES);
  for (let i = 0, at = 0; i < bars.length; i++, at += BINARY_BAR_BYTES) {
    bars[i] = {
      time: epochMs(view, at),
      open: view.getFloat64(at + 8),
      high: view.getFloat64(at + 16),
      low: view.getFloat64(at + 24),
      close: view.getFloat64(at + 32),
      volume: view.getFloat64(at + 40),
      isClosed: view.getUint8(at + 48) !== 0,
    };
  }
  return bars;
}

/** The same bars as readNewestBars (stored-bars.ts): the newest `limit` with fromMs <= time <= toMs, oldest first. */
export async function readNewestBarsBinary(prisma: PrismaClient, r: BarRange): Promise<StoredBar[]> {
  const from = r.fromMs === undefined ? null : new Date(r.fromMs);
  const to = r.toMs === undefined ? null : new Date(r.toMs);
  const rows = await prisma.$queryRaw<{ bars: Uint8Array | null }[]>`
    SELECT string_agg(timestamptz_send(t) || float8send(open) || float8send(high) || float8send(low) || float8send(close) ||
                      float8send(volume) || boolsend(is_closed), ''::bytea ORDER BY t) AS bars
      FROM (SELECT "timestamp" AS t, open, high, low, close, volume, is_closed FROM ohlc_bars
             WHERE contract_id = ${r.contractId} AND timeframe_unit = ${r.timeframe.unit}::smallint AND timeframe_value = ${r.timeframe.value}::int
               AND "timestamp" >= coalesce(${from}::timestamptz, '-infinity') AND "timestamp" <= coalesce(${to}::timestamptz, 'infinity')
             ORDER BY "timestamp" DESC LIMIT ${r.limit}::int) AS newest`;
  const bytes = rows[0]?.bars;
  return bytes ? storedBarsFromBinary(bytes) : [];
}
