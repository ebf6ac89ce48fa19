// Live liquidity (spec §7.4): recomputed from bar 0 at every bar, because its tolerance is a fraction of the
// range of all bars so far; the differences are published, all provisional (nothing is final before the end).
import { ColumnSearch } from './column-search.ts';
import { liquidityRows } from './liquidity.ts';
import { PublishedRows, type SmcRowChange } from './published-rows.ts';
import type { SmcBars } from './smc-bars.ts';
import type { SwingLive } from './swing-live.ts';

export class LiquidityLive {
  readonly rows = new PublishedRows('liquidity');
  private highs: ColumnSearch | undefined;
  private lows: ColumnSearch | undefined;
  private maxHigh = -Infinity;
  private minLow = Infinity;
  private shown = new Set<number>();

  constructor(private readonly rangePercent: number) {}

  update(bars: SmcBars, t: number, swings: SwingLive, out: SmcRowChange[]): void {
    this.highs ??= new ColumnSearch(bars.high, 0);
    this.lows ??= new ColumnSearch(bars.low, 0);
    this.highs.extend(bars.high, t + 1);
    this.lows.extend(bars.low, t + 1);
    this.maxHigh = Math.max(this.maxHigh, bars.high[t]!);
    this.minLow = Math.min(this.minLow, bars.low[t]!);
    const tol = (this.maxHigh - this.minLow) * this.rangePercent;
    const next = new Set<number>();
    for (const r of liquidityRows(swings.swingList(), tol, this.highs, this.lows)) {
      next.add(r.row);
      this.rows.stage(r.row, [r.dir, r.level, r.end, r.swept], false);
    }
    for (const row of this.shown) if (!next.has(row)) this.rows.stage(row, undefined, false);
    this.shown = next;
    this.rows.flush(out);
  }
}
