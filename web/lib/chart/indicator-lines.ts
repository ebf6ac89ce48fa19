// The moving-average overlays: series from /api/indicators (computed server-side with core's
// indicator code), refreshed at each closed bar, extended when history pages back, refilled after
// a reconnect. Like the candles, a point older than the last drawn is never given to `update`.
import type { UTCTimestamp } from 'lightweight-charts';
import { MAX_LIMIT } from '../api/query-fields.ts';
import type { IndicatorsResponse } from '../api/response-schemas.ts';
import { indexAtOrAfter, mergeTimed } from './candle-merge.ts';
import { fetchIndicators, type RangeParams } from './chart-api.ts';

export interface LinePoint {
  readonly time: UTCTimestamp;
  readonly value: number;
}

export interface LineSink {
  setLine(name: string, points: readonly LinePoint[]): void;
  updateLine(name: string, point: LinePoint): void;
}

export interface IndicatorLinesOptions {
  readonly contractId: string;
  readonly timeframe: string;
  readonly names: readonly string[];
  readonly sink: LineSink;
}

/** Closed bars arrive together with the next forming one; one refresh covers a burst. */
const REFRESH_DELAY_MS = 400;
/** Second bars close every second: the overlays need not follow faster than this. */
const MIN_REFRESH_INTERVAL_MS = 2_000;

const samePoint = (a: LinePoint, b: LinePoint): boolean => a.value === b.value;

function linePoints(response: IndicatorsResponse, name: string): LinePoint[] {
  const series = response.indicators.find((i) => i.name === name);
  const out: LinePoint[] = [];
  for (const p of series?.points ?? []) {
    if (typeof p.value !== 'number') continue; // warm-up (null) or a multi-line value
    out.push({ time: Math.floor(Date.parse(p.timestamp) / 1000) as UTCTimestamp, value: p.value });
  }
  return out;
}

export class IndicatorLines {
  private readonly lines = new Map<string, readonly LinePoint[]>();
  private readonly abort = new AbortController();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private lastRefresh = Number.NEGATIVE_INFINITY;
  private stopped = false;

  constructor(private readonly options: IndicatorLinesOptions) {
    for (const name of options.names) this.lines.set(name, []);
  }

  /** The newest `limit` points: the same bars the first candle load asks for. */
  load(limit: number): Promise<void> {
    return this.fetchAndMerge({ limit }, undefined);
  }

  /** History paged back to `oldest` (epoch seconds). */
  extendBack(oldest: number): Promise<void> {
    const first = Math.min(...this.options.names.map((n) => this.lines.get(n)?.[0]?.time ?? Number.POSITIVE_INFINITY));
    if (!Number.isFinite(first) || oldest >= first) return Promise.resolve();
    return this.fetchAndMerge({ from: oldest * 1000, to: first * 1000, limit: MAX_LIMIT }, undefined);
  }

  /** Refetch from `fromMs` (a reconnect or resync). */
  fill(fromMs: number): Promise<void> {
    return this.fetchAndMerge({ from: fromMs, limit: MAX_LIMIT }, Math.floor(fromMs / 1000));
  }

  /** A bar closed: its final values (and the next forming bar's) are worth a fetch. */
  barClosed(): void {
    if (this.refreshTimer !== undefined || this.stopped) return;
    const delay = Math.max(REFRESH_DELAY_MS, this.lastRefresh + MIN_REFRESH_INTERVAL_MS - Date.now());
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.lastRefresh = Date.now();
      const last = Math.min(...this.options.names.map((n) => this.lines.get(n)?.at(-1)?.time ?? Number.POSITIVE_INFINITY));
      void (Number.isFinite(last) ? this.fill(last * 1000) : this.load(MAX_LIMIT));
    }, delay);
  }

  /** A line's value at bar `time` (epoch seconds), if it has one there. */
  valueAt(name: string, time: number): number | undefined {
    const points = this.lines.get(name) ?? [];
    const point = points[indexAtOrAfter(points, time)];
    return point?.time === time ? point.value : undefined;
  }

  /** Points drawn per line (for tests). */
  pointCounts(): Record<string, number> {
    return Object.fromEntries([...this.lines].map(([name, points]) => [name, points.length]));
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
    clearTimeout(this.refreshTimer);
  }

  private async fetchAndMerge(range: RangeParams, coverFrom: number | undefined): Promise<void> {
    let response: IndicatorsResponse;
    try {
      response = await fetchIndicators(this.options.contractId, this.options.timeframe, this.options.names, range, {
        signal: this.abort.signal,
      });
    } catch {
      return; // overlays are a garnish: the chart stands without them, the next bar close retries
    }
    if (this.stopped) return;
    for (const name of this.options.names) this.mergeLine(name, linePoints(response, name), coverFrom);
  }

  private mergeLine(name: string, fetched: readonly LinePoint[], coverFrom: number | undefined): void {
    const before = this.lines.get(name) ?? [];
    const { candles: after, changedFrom } = mergeTimed(before, fetched, coverFrom, samePoint);
    if (changedFrom === undefined) return;
    this.lines.set(name, after);
    const drawnLast = before.at(-1)?.time;
    if (drawnLast !== undefined && changedFrom >= drawnLast && after[indexAtOrAfter(after, drawnLast)]?.time === drawnLast) {
      for (let i = indexAtOrAfter(after, changedFrom); i < after.length; i++) this.options.sink.updateLine(name, after[i] as LinePoint);
    } else {
      this.options.sink.setLine(name, after);
    }
  }
}
