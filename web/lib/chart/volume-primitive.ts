// The volume columns, drawn by a series primitive on the candles instead of a histogram series of
// their own. A histogram series holds a second copy of every bar: its setData converts 10,000 more
// items, and its first draw styles each of them twice (a binary search per item), all before the
// first candles show (docs/BENCHMARKS.md, web4 session). The primitive reads the candles the chart
// surface already keeps and draws only those in view.
import type {
  IChartApiBase,
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesPrimitive,
  PrimitivePaneViewZOrder,
  SeriesAttachedParameter,
  Time,
} from 'lightweight-charts';
import type { Candle } from './candle-merge.ts';
import { VOLUME_BAND, volumeColumns } from './volume-columns.ts';

type RenderTarget = Parameters<IPrimitivePaneRenderer['draw']>[0];

interface PlacedColumn {
  /** Centre, media pixels. */
  readonly x: number;
  readonly share: number;
  readonly up: boolean;
}

class VolumeRenderer implements IPrimitivePaneRenderer {
  constructor(
    private readonly columns: readonly PlacedColumn[],
    private readonly spacing: number,
    private readonly colors: { readonly up: string; readonly down: string },
  ) {}

  draw(target: RenderTarget): void {
    target.useBitmapCoordinateSpace(({ context, bitmapSize, horizontalPixelRatio: hr }) => {
      const band = bitmapSize.height * VOLUME_BAND;
      // Columns as wide as a bar with a one-pixel gap once bars are wide enough to show one.
      const span = Math.max(1, Math.floor(this.spacing * hr));
      const width = span > 3 ? span - Math.max(1, Math.floor(hr)) : span;
      for (const up of [true, false]) {
        context.fillStyle = up ? this.colors.up : this.colors.down;
        for (const c of this.columns) {
          if (c.up !== up) continue;
          const height = Math.round(c.share * band);
          if (height <= 0) continue;
          const left = Math.round(c.x * hr - width / 2);
          context.fillRect(left, bitmapSize.height - height, width, height);
        }
      }
    });
  }
}

export class VolumePrimitive implements ISeriesPrimitive<Time> {
  private chart: IChartApiBase<Time> | undefined;
  private columns: readonly PlacedColumn[] = [];
  private spacing = 1;
  private readonly view: IPrimitivePaneView = {
    zOrder: (): PrimitivePaneViewZOrder => 'normal',
    renderer: () => new VolumeRenderer(this.columns, this.spacing, this.colors),
  };

  constructor(
    /** The candles drawn, ascending (the chart surface keeps them). */
    private readonly candles: () => readonly Candle[],
    private readonly colors: { readonly up: string; readonly down: string },
  ) {}

  attached(param: SeriesAttachedParameter<Time>): void {
    this.chart = param.chart;
  }

  detached(): void {
    this.chart = undefined;
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return [this.view];
  }

  updateAllViews(): void {
    const scale = this.chart?.timeScale();
    const range = scale?.getVisibleRange();
    if (!scale || !range) {
      this.columns = [];
      return;
    }
    this.spacing = scale.options().barSpacing;
    const placed: PlacedColumn[] = [];
    for (const c of volumeColumns(this.candles(), range.from as number, range.to as number)) {
      const x = scale.timeToCoordinate(c.time as Time);
      if (x !== null) placed.push({ x, share: c.share, up: c.up });
    }
    this.columns = placed;
  }
}
