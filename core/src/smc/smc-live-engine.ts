// The live SMC engine: one closed bar in, the rows of the five studies that changed out, each tagged
// provisional or confirmed (spec §7). After every bar the published rows equal the batch answer on the
// bars so far (same first bar), so a replay equals the batch at every bar, not only at the end.
import type { OhlcBar } from '../bar.ts';
import { BosChochLive } from './bos-choch-live.ts';
import { FvgLive } from './fvg-live.ts';
import { LiquidityLive } from './liquidity-live.ts';
import { OrderBlocksLive } from './order-blocks-live.ts';
import type { SmcRowChange } from './published-rows.ts';
import { SmcBarSeries, type SmcBars } from './smc-bars.ts';
import { smcParams, type SmcParams } from './smc-params.ts';
import { SwingLive } from './swing-live.ts';

export class SmcLiveEngine {
  readonly params: SmcParams;
  private readonly series = new SmcBarSeries();
  private readonly fvg: FvgLive;
  private readonly swings: SwingLive;
  private readonly bosChoch: BosChochLive;
  private readonly ob: OrderBlocksLive;
  private readonly liquidity: LiquidityLive;

  /** Missing parameters take the library's defaults; bad ones throw a ZodError naming the field. */
  constructor(params: Partial<SmcParams> = {}) {
    this.params = Object.freeze(smcParams(params));
    this.fvg = new FvgLive(this.params.join_consecutive);
    this.swings = new SwingLive(this.params.swing_length);
    this.bosChoch = new BosChochLive(this.params.close_break);
    this.ob = new OrderBlocksLive(this.params.close_mitigation);
    this.liquidity = new LiquidityLive(this.params.range_percent);
  }

  /** Bars taken so far (row i is the i-th bar given). */
  get length(): number {
    return this.series.length;
  }

  /** The bars taken so far, as the batch functions read them. */
  get bars(): SmcBars {
    return this.series;
  }

  /**
   * Takes the next closed bar (time strictly increasing, finite, low ≤ open, close ≤ high; otherwise a
   * ValidationError and no state change) and returns the rows that changed, study by study.
   */
  update(bar: OhlcBar): SmcRowChange[] {
    const t = this.series.push(bar);
    const out: SmcRowChange[] = [];
    this.fvg.update(this.series, t, out);
    this.swings.update(this.series, t, out);
    this.bosChoch.update(this.series, t, this.swings, out);
    this.ob.update(this.series, t, this.swings, out);
    this.liquidity.update(this.series, t, this.swings, out);
    return out;
  }

  /**
   * Takes closed bars whose rows the caller already holds (a restart's stored window), reporting nothing:
   * afterwards the engine is as if update() had taken each one, and the next update() reports exactly what
   * it would have. update() regroups liquidity over every swing at every bar (its tolerance depends on the
   * whole range), O(bars × swings) over a long window; here liquidity is regrouped once, at the last bar.
   * A bad bar throws update()'s ValidationError; the bars before it stay taken.
   */
  warm(bars: Iterable<OhlcBar>): void {
    const discard: SmcRowChange[] = [];
    let last = -1;
    try {
      for (const bar of bars) {
        const t = this.series.push(bar);
        this.fvg.update(this.series, t, discard);
        this.swings.update(this.series, t, discard);
        this.bosChoch.update(this.series, t, this.swings, discard);
        this.ob.update(this.series, t, this.swings, discard);
        this.liquidity.observe(this.series, t);
        discard.length = 0;
        last = t;
      }
    } finally {
      if (last >= 0) this.liquidity.update(this.series, last, this.swings, discard);
    }
  }
}
