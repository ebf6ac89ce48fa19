// Live order blocks (spec §7.4). Block creation depends on the swings, so it is committed only up to the swing
// frontier (final there) and replayed from it every bar; mitigation and erasure depend on the bars alone, so
// committed blocks are tracked once per bar and a replayed block is caught up from its creation. Shown
// blocks are provisional (a block can be erased at any later bar); a committed block's erasure is confirmed.
// On a bar whose batch answer has a bullish and a bearish block on one row (§5.4 coupling, never seen in real
// data) the study is recomputed in full, which is exact by definition.
import { orderBlocks, orderBlockValues } from './order-blocks.ts';
import { OrderBlockCreator, OrderBlockTracker, trackBlock, type OrderBlock } from './order-block-pass.ts';
import { PublishedRows, type SmcRowChange } from './published-rows.ts';
import type { SmcBars } from './smc-bars.ts';
import type { SwingLive } from './swing-live.ts';

interface Direction {
  readonly creator: OrderBlockCreator;
  readonly tracker: OrderBlockTracker;
  /** Rows of the blocks created before the frontier (erased ones included): final. */
  readonly committedRows: Set<number>;
}

export class OrderBlocksLive {
  readonly rows = new PublishedRows('ob');
  private readonly directions: readonly Direction[];
  /** Bars 0 … committed−1 went through the committed creators. */
  private committed = 0;
  /** Committed blocks still shown, by row. */
  private readonly blocks = new Map<number, OrderBlock>();
  private readonly erasedRows = new Set<number>();
  private replayed = new Map<number, OrderBlock>();
  /** Rows of the blocks created by this bar's replay, per direction (erased ones included). */
  private replayRows: readonly Set<number>[] = [new Set(), new Set()];
  /** Whether B_t has a bullish and a bearish block on one row (§5.4), and whether the last bar had. */
  private coupled = false;
  private wasCoupled = false;

  constructor(private readonly closeMitigation: boolean) {
    this.directions = ([1, -1] as const).map((dir) => ({
      creator: new OrderBlockCreator(dir),
      tracker: new OrderBlockTracker(dir, closeMitigation),
      committedRows: new Set<number>(),
    }));
  }

  update(bars: SmcBars, t: number, swings: SwingLive, out: SmcRowChange[]): void {
    const labels = swings.highLow;
    const touched = new Set<number>();
    const onChange = (b: OrderBlock): void => {
      touched.add(b.row);
      if (!b.erased) return;
      this.blocks.delete(b.row);
      this.erasedRows.add(b.row);
    };
    for (const d of this.directions) d.tracker.track(bars, t, onChange);
    const frontier = Math.min(swings.frontier, t + 1);
    this.replayRows = [new Set(), new Set()];
    this.coupled = false;
    for (; this.committed < frontier; this.committed++) {
      const i = this.committed;
      for (const d of this.directions) {
        const b = this.created(d, d.creator, bars, i, t, labels);
        if (!b) continue;
        d.committedRows.add(b.row);
        touched.add(b.row);
        if (b.erased) {
          this.erasedRows.add(b.row);
        } else {
          this.blocks.set(b.row, b);
          d.tracker.add(b);
        }
      }
    }
    const replayed = new Map<number, OrderBlock>();
    const creators = this.directions.map((d) => d.creator.clone());
    for (let i = this.committed; i <= t; i++) {
      this.directions.forEach((d, k) => {
        const b = this.created(d, creators[k]!, bars, i, t, labels);
        if (!b) return;
        this.replayRows[k]!.add(b.row);
        if (!b.erased) replayed.set(b.row, b);
      });
    }
    if (this.coupled) {
      this.wasCoupled = true;
      this.recompute(bars, labels, out);
      return;
    }
    if (this.wasCoupled) {
      // Back from a recomputed bar: every shown row may differ from the incremental view.
      this.wasCoupled = false;
      for (const row of this.rows.shownRows()) touched.add(row);
      for (const row of this.blocks.keys()) touched.add(row);
    }
    for (const row of this.replayed.keys()) touched.add(row);
    for (const row of replayed.keys()) touched.add(row);
    this.replayed = replayed;
    for (const row of touched) {
      const b = replayed.get(row) ?? this.blocks.get(row);
      if (b) this.rows.stage(row, orderBlockValues(b), false);
      else this.rows.stage(row, undefined, this.erasedRows.has(row));
    }
    this.rows.flush(out);
  }

  /** The block `creator` (of direction `d`) creates at bar i, caught up with bars i+1 … t. */
  private created(
    d: Direction,
    creator: OrderBlockCreator,
    bars: SmcBars,
    i: number,
    t: number,
    labels: Float64Array,
  ): OrderBlock | undefined {
    const b = creator.step(bars, i, i > 0 ? labels[i - 1]! : NaN);
    if (!b) return undefined;
    const other = d.creator.dir > 0 ? 1 : 0;
    if (this.directions[other]!.committedRows.has(b.row) || this.replayRows[other]!.has(b.row)) this.coupled = true;
    for (let j = i + 1; j <= t && !b.erased; j++) trackBlock(b, bars, j, this.closeMitigation);
    return b;
  }

  /** Fallback: the batch answer on bars 0 … t (= bars.length − 1), published as differences; nothing is confirmed. */
  private recompute(bars: SmcBars, labels: Float64Array, out: SmcRowChange[]): void {
    const result = orderBlocks(bars, labels, this.closeMitigation);
    for (const row of this.rows.shownRows()) this.rows.stage(row, undefined, false);
    for (let row = 0; row < bars.length; row++) {
      if (Number.isNaN(result.OB[row]!)) continue;
      this.rows.stage(
        row,
        [
          result.OB[row]!,
          result.Top[row]!,
          result.Bottom[row]!,
          result.OBVolume[row]!,
          result.MitigatedIndex[row]!,
          result.Percentage[row]!,
        ],
        false,
      );
    }
    this.rows.flush(out);
  }
}
