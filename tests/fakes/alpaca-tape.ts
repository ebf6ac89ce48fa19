// The fake Alpaca's market: trades as it streams them, and the bars its REST API builds from them
// (minutes and hours on the clock, days from midnight New York time, as Alpaca stamps them).
import { localDateAndMinutes, localTimeToUtc } from '../../core/src/index.ts';

export interface FakeAlpacaTrade {
  readonly symbol: string;
  readonly id: number;
  readonly price: number;
  readonly size: number;
  /** RFC-3339, e.g. 2024-03-05T14:30:00.123456789Z */
  readonly time: string;
}

/** One bar as the REST API returns it. */
export interface TapeBar {
  readonly t: string;
  readonly o: number;
  readonly h: number;
  readonly l: number;
  readonly c: number;
  readonly v: number;
  readonly n: number;
  readonly vw: number;
}

const NEW_YORK = 'America/New_York';

/** Bars of `timeframe` ('5Min', '1Hour', '1Day' …) from trades in time order. */
export function aggregateTape(trades: readonly FakeAlpacaTrade[], timeframe: string): TapeBar[] {
  const bucketOf = bucketer(timeframe);
  const bars = new Map<number, { o: number; h: number; l: number; c: number; v: number; n: number; pv: number }>();
  for (const trade of trades) {
    const start = bucketOf(Date.parse(trade.time));
    const bar = bars.get(start);
    if (!bar) {
      bars.set(start, {
        o: trade.price,
        h: trade.price,
        l: trade.price,
        c: trade.price,
        v: trade.size,
        n: 1,
        pv: trade.price * trade.size,
      });
      continue;
    }
    bar.h = Math.max(bar.h, trade.price);
    bar.l = Math.min(bar.l, trade.price);
    bar.c = trade.price;
    bar.v += trade.size;
    bar.n++;
    bar.pv += trade.price * trade.size;
  }
  return [...bars.entries()]
    .sort(([a], [b]) => a - b)
    .map(([start, b]) => ({
      t: new Date(start).toISOString().replace('.000Z', 'Z'),
      o: b.o,
      h: b.h,
      l: b.l,
      c: b.c,
      v: b.v,
      n: b.n,
      vw: b.v > 0 ? b.pv / b.v : b.c,
    }));
}

function bucketer(timeframe: string): (ms: number) => number {
  const match = /^(\d+)(Min|T|Hour|H|Day|D)$/.exec(timeframe);
  if (!match) throw new Error(`fake Alpaca: timeframe ${timeframe} not supported`);
  const n = Number(match[1]);
  const unit = match[2];
  if (unit === 'Min' || unit === 'T') return (ms) => Math.floor(ms / (n * 60_000)) * n * 60_000;
  if (unit === 'Hour' || unit === 'H') return (ms) => Math.floor(ms / (n * 3_600_000)) * n * 3_600_000;
  return (ms) => localTimeToUtc(NEW_YORK, localDateAndMinutes(NEW_YORK, ms).date, 0);
}
