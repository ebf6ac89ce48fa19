// Session breaks on an intraday chart: a dashed vertical line left of the first candle of each trade
// date, under the candles, so a halt, a weekend or a holiday shows where the market was closed.
// A lightweight-charts v5 series primitive on the candle series; only the candles in view are examined.
import type { SessionCalendar } from '@barstream/core';
import type {
  IChartApiBase,
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesApi,
  ISeriesPrimitive,
  PrimitivePaneViewZOrder,
  SeriesAttachedParameter,
  SeriesType,
  Time,
} from 'lightweight-charts';
import { sessionBreakIndices } from './session-breaks.ts';

export const SESSION_BREAK_COLOR = '#3a4256';
/** Dash and gap in pixels: lighter than the grid's solid lines. */
const DASH: readonly number[] = [4, 4];

type RenderTarget = Parameters<IPrimitivePaneRenderer['draw']>[0];

class BreakRenderer implements IPrimitivePaneRenderer {
  constructor(private readonly xs: readonly number[]) {}

  draw(target: RenderTarget): void {
    target.useMediaCoordinateSpace(({ context, mediaSize }) => {
      context.save();
      context.strokeStyle = SESSION_BREAK_COLOR;
      context.lineWidth = 1;
      context.setLineDash([...DASH]);
      context.beginPath();
      for (const x of this.xs) {
        const px = Math.round(x) + 0.5;
        context.moveTo(px, 0);
        context.lineTo(px, mediaSize.height);
      }
      context.stroke();
      context.restore();
    });
  }
}

export class SessionBreakPrimitive implements ISeriesPrimitive<Time> {
  private chart: IChartApiBase<Time> | undefined;
  private series: ISeriesApi<SeriesType, Time> | undefined;
  private xs: readonly number[] = [];
  /** Epoch seconds of the session starts last drawn (for tests and the test hook). */
  drawnTimes: readonly number[] = [];
  private readonly view: IPrimitivePaneView = {
    zOrder: (): PrimitivePaneViewZOrder => 'bottom',
    renderer: () => new BreakRenderer(this.xs),
  };

  constructor(
    private readonly calendar: SessionCalendar,
    /** The candles' times (epoch seconds), ascending: the chart surface keeps them. */
    private readonly candleTimes: () => readonly { readonly time: number }[],
  ) {}

  attached(param: SeriesAttachedParameter<Time>): void {
    this.chart = param.chart;
    this.series = param.series;
  }

  detached(): void {
    this.chart = undefined;
    this.series = undefined;
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return [this.view];
  }

  updateAllViews(): void {
    const { chart, series } = this;
    const range = chart?.timeScale().getVisibleLogicalRange();
    if (!chart || !series || !range) {
      this.xs = [];
      this.drawnTimes = [];
      return;
    }
    const times = this.candleTimes();
    const starts = sessionBreakIndices(times, range.from, range.to, this.calendar);
    const spacing = chart.timeScale().options().barSpacing;
    const xs: number[] = [];
    const drawn: number[] = [];
    for (const i of starts) {
      const time = times[i]?.time;
      const x = time === undefined ? null : chart.timeScale().timeToCoordinate(time as Time);
      if (x === null || time === undefined) continue;
      // Half a bar left of the candle: between the last candle of one session and the first of the next.
      xs.push(x - spacing / 2);
      drawn.push(time);
    }
    this.xs = xs;
    this.drawnTimes = drawn;
  }
}
