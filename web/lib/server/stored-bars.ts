// Bars of one series (contract + timeframe) read through Prisma: the newest `limit` in a time
// range, oldest first. Takes the client as an argument so the cache's integration test can run it
// against a test database.
import type { Timeframe } from '@barstream/core';
import type { PrismaClient } from '@barstream/prisma';

/** A stored bar: open time in epoch milliseconds, with is_closed. */
export interface StoredBar {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly isClosed: boolean;
}

export interface SeriesKey {
  readonly contractId: string;
  readonly timeframe: Timeframe;
}

export interface BarRange extends SeriesKey {
  /** Inclusive bounds, epoch ms; undefined: unbounded. */
  readonly fromMs: number | undefined;
  readonly toMs: number | undefined;
  readonly limit: number;
}

/** Only the columns a bar needs: Prisma decodes (and the pool transfers) nothing else. */
const BAR_COLUMNS = { timestamp: true, open: true, high: true, low: true, close: true, volume: true, isClosed: true } as const;

/** The newest `limit` bars with fromMs <= time <= toMs, oldest first (a primary-key range scan, backwards). */
export async function readNewestBars(prisma: PrismaClient, r: BarRange): Promise<StoredBar[]> {
  const rows = await prisma.ohlcBar.findMany({
    where: {
      contractId: r.contractId,
      timeframeUnit: r.timeframe.unit,
      timeframeValue: r.timeframe.value,
      timestamp: { gte: r.fromMs === undefined ? undefined : new Date(r.fromMs), lte: r.toMs === undefined ? undefined : new Date(r.toMs) },
    },
    orderBy: { timestamp: 'desc' },
    take: r.limit,
    select: BAR_COLUMNS,
  });
  const bars = new Array<StoredBar>(rows.length);
  for (let i = 0, j = rows.length - 1; j >= 0; i++, j--) {
    const row = rows[j] as (typeof rows)[number];
    bars[i] = {
      time: row.timestamp.getTime(),
      open: row.open,
      high: row.high,
      low: row.low,
      close: row.close,
      volume: row.volume,
      isClosed: row.isClosed,
    };
  }
  return bars;
}
