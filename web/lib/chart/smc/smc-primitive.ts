// The SMC drawing as a lightweight-charts v5 series primitive on the candle series: two pane views,
// zones under the candles ('bottom') and BOS/CHoCH segments and swing markers over them ('normal').
// The scene is rebuilt in updateAllViews, which the chart calls whenever the viewport changes.
import type {
  IChartApiBase,
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesApi,
  ISeriesPrimitive,
  Logical,
  PrimitivePaneViewZOrder,
  SeriesAttachedParameter,
  SeriesType,
  Time,
} from 'lightweight-charts';
import { indexAtOrAfter } from '../candle-merge.ts';
import type { ChartSmcEvent, ChartZone } from './smc-chart-rows.ts';
import { paintStructure, paintZones } from './smc-painter.ts';
import { EMPTY_SCENE, type SmcCoordinates, type SmcScene, smcScene } from './smc-scene.ts';
import { DEFAULT_SMC_VISIBILITY, type SmcVisibility } from './smc-visibility.ts';

type RenderTarget = Parameters<IPrimitivePaneRenderer['draw']>[0];

/** What the primitive draws from: the rows, and the candles' times (epoch seconds) that place them. */
export interface SmcSource {
  zones(): Iterable<ChartZone>;
  events(): Iterable<ChartSmcEvent>;
  candleTimes(): readonly { readonly time: number }[];
}

type Paint = (ctx: CanvasRenderingContext2D, scene: SmcScene) => void;

export interface SmcViewport {
  /** Epoch seconds of the first and last candle in view. */
  readonly fromTime: number;
  readonly toTime: number;
  /** Prices at the pane's top and bottom edges. */
  readonly topPrice: number;
  readonly bottomPrice: number;
  /** Pixels per bar. */
  readonly barSpacing: number;
}

class SmcRenderer implements IPrimitivePaneRenderer {
  constructor(
    private readonly scene: SmcScene,
    private readonly paint: Paint,
  ) {}

  draw(target: RenderTarget): void {
    target.useMediaCoordinateSpace(({ context }) => this.paint(context, this.scene));
  }
}

class SmcPaneView implements IPrimitivePaneView {
  constructor(
    private readonly owner: { readonly scene: SmcScene },
    private readonly order: PrimitivePaneViewZOrder,
    private readonly paint: Paint,
  ) {}

  zOrder(): PrimitivePaneViewZOrder {
    return this.order;
  }

  renderer(): IPrimitivePaneRenderer {
    return new SmcRenderer(this.owner.scene, this.paint);
  }
}

export class SmcPrimitive implements ISeriesPrimitive<Time> {
  private drawn: SmcScene = EMPTY_SCENE;
  private readonly views: readonly IPrimitivePaneView[] = [
    new SmcPaneView(this, 'bottom', paintZones),
    new SmcPaneView(this, 'normal', paintStructure),
  ];
  private chart: IChartApiBase<Time> | undefined;
  private series: ISeriesApi<SeriesType, Time> | undefined;
  private requestUpdate: () => void = () => undefined;
  private visibility: SmcVisibility = DEFAULT_SMC_VISIBILITY;

  constructor(private readonly source: SmcSource) {}

  attached(param: SeriesAttachedParameter<Time>): void {
    this.chart = param.chart;
    this.series = param.series;
    this.requestUpdate = param.requestUpdate;
  }

  detached(): void {
    this.chart = undefined;
    this.series = undefined;
    this.requestUpdate = () => undefined;
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return this.views;
  }

  updateAllViews(): void {
    this.drawn = this.buildScene();
  }

  /** The rows or the toggles changed: redraw. */
  setVisibility(visibility: SmcVisibility): void {
    this.visibility = visibility;
    this.redraw();
  }

  redraw(): void {
    this.drawn = this.buildScene();
    this.requestUpdate();
  }

  /** What is drawn now. */
  get scene(): SmcScene {
    return this.drawn;
  }

  /** The bars and prices in view (first and last whole candle), or null before the chart has bars. */
  viewport(): SmcViewport | null {
    const { chart, series } = this;
    const times = this.source.candleTimes();
    const range = chart?.timeScale().getVisibleLogicalRange();
    if (!chart || !series || !range || times.length === 0) return null;
    const first = times[Math.min(Math.max(0, Math.ceil(range.from)), times.length - 1)];
    const last = times[Math.max(0, Math.min(times.length - 1, Math.floor(range.to)))];
    const top = series.coordinateToPrice(0);
    const bottom = series.coordinateToPrice(chart.paneSize(0).height);
    if (!first || !last || top === null || bottom === null) return null;
    const barSpacing = chart.timeScale().options().barSpacing;
    return { fromTime: first.time, toTime: last.time, topPrice: top, bottomPrice: bottom, barSpacing };
  }

  private buildScene(): SmcScene {
    const coordinates = this.coordinates();
    return coordinates ? smcScene(this.source.zones(), this.source.events(), this.visibility, coordinates) : EMPTY_SCENE;
  }

  private coordinates(): SmcCoordinates | null {
    const { chart, series } = this;
    if (!chart || !series) return null;
    const times = this.source.candleTimes();
    if (times.length === 0) return null;
    const timeScale = chart.timeScale();
    const paneSize = chart.paneSize(0);
    return {
      width: paneSize.width,
      height: paneSize.height,
      // A bar's logical index is its position among the candles: rows always name bar times, and a
      // time before the first loaded candle is placed at it (its zone runs on from off the history).
      x: (time) => timeScale.logicalToCoordinate(indexAtOrAfter(times, time) as Logical),
      y: (price) => series.priceToCoordinate(price),
    };
  }
}
