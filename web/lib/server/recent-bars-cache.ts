// The web process's cache of recent bars: each requested series' newest bars, filled through
// Prisma and kept current by the NOTIFY stream, so /api/ohlc and /api/indicators answer the
// common request (the newest N bars) without reading them again.
//
// Correctness: a notification only marks its series dirty from the bar's time on; the next
// request for that series first re-reads (through Prisma) every bar from that time, so an answer
// is never older than a database read started after every notification received before it. While
// the LISTEN connection is down nothing is cached (every read goes to the database); when it is
// back, everything held is dropped, as is a series whose cached range an import touched.
//
// Memory: at most MAX_SERIES series and MAX_CACHED_BARS bars in all (a bar object with its boxed
// doubles is about 150 bytes: ~30 MB), least recently used series evicted first; one series holds
// at most maxBarsPerSeries bars (MAX_LIMIT unless told; the web's cache: /api/ohlc's OHLC_MAX_LIMIT,
// reached only by a series someone asked that many bars of).
import { MAX_LIMIT } from '../api/query-fields.ts';
import { CachedSeries } from './cached-series.ts';
import type { BarRange, SeriesKey, StoredBar } from './stored-bars.ts';

export const MAX_SERIES = 64;
export const MAX_CACHED_BARS = 200_000;
/** A first read of a series takes at least this many bars: the chart's first page and its indicators' warm-up. */
export const FILL_BARS = 10_000;

export interface RecentBarsCacheOptions {
  /** The database read (web/lib/server/stored-bars.ts through Prisma). */
  readonly read: (range: BarRange) => Promise<StoredBar[]>;
  /** The read that fills a series with its newest bars (default: read); the same bars, read faster in bulk. */
  readonly fillRead?: (range: BarRange) => Promise<StoredBar[]>;
  readonly maxSeries?: number;
  readonly maxBars?: number;
  readonly maxBarsPerSeries?: number;
  readonly fillBars?: number;
}

const keyOf = (contractId: string, unit: number, value: number): string => `${contractId}|${unit}|${value}`;

export class RecentBarsCache {
  private readonly series = new Map<string, CachedSeries>();
  private live = false;
  private readonly maxSeries: number;
  private readonly maxBars: number;
  private readonly maxBarsPerSeries: number;
  private readonly fillBars: number;
  /** Answers from memory and reads from the database, for the benchmark and tests. */
  readonly stats = { hits: 0, misses: 0, notifications: 0 };

  constructor(private readonly options: RecentBarsCacheOptions) {
    this.maxSeries = options.maxSeries ?? MAX_SERIES;
    this.maxBars = options.maxBars ?? MAX_CACHED_BARS;
    this.maxBarsPerSeries = options.maxBarsPerSeries ?? MAX_LIMIT;
    this.fillBars = options.fillBars ?? FILL_BARS;
  }

  /** What is held now. */
  held(): { series: number; bars: number } {
    let bars = 0;
    for (const s of this.series.values()) bars += s.bars.length;
    return { series: this.series.size, bars };
  }

  /** LISTEN is active (true) or lost (false): either way what is held may have missed changes. */
  setListening(listening: boolean): void {
    this.live = listening;
    this.series.clear();
  }

  /** An ohlc_update: the bar at `timeMs` of this series changed. */
  noteBar(contractId: string, unit: number, value: number, timeMs: number): void {
    this.stats.notifications++;
    this.series.get(keyOf(contractId, unit, value))?.noteBar(timeMs);
  }

  /** A bars_imported: bars in [fromMs, toMs] of this series were written. */
  noteImport(contractId: string, unit: number, value: number, fromMs: number, toMs: number): void {
    this.stats.notifications++;
    const key = keyOf(contractId, unit, value);
    const s = this.series.get(key);
    if (s && toMs >= s.coveredFrom && fromMs <= toMs) this.series.delete(key);
  }

  /** The newest `limit` bars in range, oldest first: from memory when held, else from the database. */
  async newestBars(r: BarRange): Promise<StoredBar[]> {
    return (await this.heldNewestBars(r)) ?? this.miss(r);
  }

  /** Like newestBars, but undefined where it would read the range from the database uncached (an
   * older page, LISTEN down, more than a series holds), so a caller can read it its own way. */
  async heldNewestBars(r: BarRange): Promise<StoredBar[] | undefined> {
    if (!this.live) return undefined;
    const key = keyOf(r.contractId, r.timeframe.unit, r.timeframe.value);
    const fromMs = r.fromMs ?? Number.NEGATIVE_INFINITY;
    const toMs = r.toMs ?? Number.POSITIVE_INFINITY;
    let s = this.series.get(key);
    if (s) {
      if (toMs < s.coveredFrom) return undefined; // an older page: never cached
      this.series.delete(key); // re-inserted below: Map order is recency
    } else {
      s = new CachedSeries();
    }
    this.series.set(key, s);
    let answer: StoredBar[] | undefined;
    try {
      await this.sync(s, r);
      answer = s.newest(fromMs, toMs, r.limit);
      if (
        answer === undefined &&
        toMs === Number.POSITIVE_INFINITY &&
        s.coveredFrom > Number.NEGATIVE_INFINITY &&
        r.limit > s.bars.length &&
        r.limit <= this.maxBarsPerSeries
      ) {
        const growing = s;
        await growing.enqueue(() => this.fill(growing, r, r.limit)); // a longer newest page than held: hold that many
        answer = growing.newest(fromMs, toMs, r.limit);
      }
    } catch (err) {
      this.forget(key, s); // a failed read leaves nothing half-filled behind
      throw err;
    }
    this.evict(key);
    if (answer !== undefined) this.stats.hits++;
    return answer;
  }

  /** Reads until the series reflects every notification counted before this request (a new
   * series: its first fill). */
  private async sync(s: CachedSeries, r: BarRange): Promise<void> {
    const target = s.seen;
    while (s.synced < target) {
      await s.enqueue(() =>
        s.synced < 0 ? this.fill(s, r, Math.min(Math.max(r.limit, this.fillBars), this.maxBarsPerSeries)) : this.refresh(s, r),
      );
    }
  }

  private async fill(s: CachedSeries, key: SeriesKey, count: number): Promise<void> {
    const seen = s.seen;
    const dirtyFrom = s.dirtyFrom;
    s.dirtyFrom = Number.POSITIVE_INFINITY;
    let bars: StoredBar[];
    try {
      bars = await (this.options.fillRead ?? this.options.read)({
        contractId: key.contractId,
        timeframe: key.timeframe,
        fromMs: undefined,
        toMs: undefined,
        limit: count,
      });
    } catch (err) {
      s.dirtyFrom = Math.min(s.dirtyFrom, dirtyFrom); // the marks still stand: nothing was re-read
      throw err;
    }
    s.bars = bars;
    s.coveredFrom = bars.length < count ? Number.NEGATIVE_INFINITY : (bars[0] as StoredBar).time;
    s.synced = seen;
  }

  private async refresh(s: CachedSeries, key: SeriesKey): Promise<void> {
    if (s.synced >= s.seen) return;
    const seen = s.seen;
    const from = Math.max(s.dirtyFrom, s.coveredFrom);
    const dirtyFrom = s.dirtyFrom;
    s.dirtyFrom = Number.POSITIVE_INFINITY;
    let fresh: StoredBar[];
    try {
      // No limit needed: a notification names a bar in the held range, normally the forming one.
      fresh = await this.options.read({
        contractId: key.contractId,
        timeframe: key.timeframe,
        fromMs: from,
        toMs: undefined,
        limit: this.maxBarsPerSeries,
      });
    } catch (err) {
      s.dirtyFrom = Math.min(s.dirtyFrom, dirtyFrom);
      throw err;
    }
    s.replaceFrom(from, fresh);
    s.trimTo(this.maxBarsPerSeries);
    s.synced = seen;
  }

  private miss(r: BarRange): Promise<StoredBar[]> {
    this.stats.misses++;
    return this.options.read(r);
  }

  private forget(key: string, s: CachedSeries): void {
    if (this.series.get(key) === s) this.series.delete(key);
  }

  /** Drops least recently used series (never the one just answered) until within the bounds. */
  private evict(current: string): void {
    let total = 0;
    for (const s of this.series.values()) total += s.bars.length;
    for (const [key, s] of this.series) {
      if (total <= this.maxBars && this.series.size <= this.maxSeries) break;
      if (key === current) continue;
      total -= s.bars.length;
      this.series.delete(key);
    }
  }
}
