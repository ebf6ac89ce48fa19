// Pages of closed bars shared by the targets that read the same series (e.g. two strategies on
// MES 5m): a backfill reads and parses each page once instead of once per target.
//
// Why a shared page never hides a changed bar: the service calls `invalidate` for a series before it
// tells the runners about a changed bar, so a read asked for after the notification is a fresh read;
// a runner that got an older copy judges the notified bar after the pass that fed it (target-runner).
import type { BarColumns } from '@barstream/core';
import type { Pool } from '@barstream/core/node';
import { closedBarColumnsAfter, PAGE_SIZE } from './closed-bars.ts';
import type { AnalysisUnit } from './targets.ts';

export type BarPageReader = (unit: AnalysisUnit, afterMs: number | undefined, limit?: number, untilMs?: number) => Promise<BarColumns>;

/** Pages kept at most (each up to PAGE_SIZE bars, ~5 MB of columns). */
const MAX_PAGES = 4;

export class SharedBarPages {
  /** Insertion-ordered: the first entry is the oldest. */
  private readonly pages = new Map<string, { series: string; readers: number; page: Promise<BarColumns> }>();

  /** @param readersPerSeries how many targets read each series (a page is dropped once all have). */
  constructor(
    private readonly pool: Pool,
    private readonly readersPerSeries: (series: string) => number,
  ) {}

  readonly read: BarPageReader = (unit, afterMs, limit = PAGE_SIZE, untilMs) => {
    const series = seriesKey(unit.contractId, unit.timeframe.unit, unit.timeframe.value);
    const expected = this.readersPerSeries(series);
    if (expected <= 1) return closedBarColumnsAfter(this.pool, unit, afterMs, limit, untilMs);
    const key = `${series}|${afterMs ?? ''}|${limit}|${untilMs ?? ''}`;
    const shared = this.pages.get(key);
    if (shared) {
      if (++shared.readers >= expected) this.pages.delete(key);
      return shared.page;
    }
    const page = closedBarColumnsAfter(this.pool, unit, afterMs, limit, untilMs);
    this.pages.set(key, { series, readers: 1, page });
    page.catch(() => this.pages.delete(key)); // the next reader retries instead of sharing the failure
    while (this.pages.size > MAX_PAGES) this.pages.delete(this.pages.keys().next().value as string);
    return page;
  };

  /** Notifications may have been missed (LISTEN was lost): nothing read before can be trusted. */
  invalidateAll(): void {
    this.pages.clear();
  }

  /** A bar of the series changed: later reads must not be served a copy read before the change. */
  invalidate(contractId: string, unit: number, value: number): void {
    const series = seriesKey(contractId, unit, value);
    for (const [key, entry] of this.pages) if (entry.series === series) this.pages.delete(key);
  }
}

export function seriesKey(contractId: string, unit: number, value: number): string {
  return `${contractId}|${unit}|${value}`;
}
