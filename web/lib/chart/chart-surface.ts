// The lightweight-charts objects of the trends chart (v5 API: addSeries, createSeriesMarkers) and
// the sinks the data layers draw through: the candle chart (candle-chart.ts, created here or adopted
// from the page's boot script) with the indicator lines and markers. Created and removed by the chart
// component.
import {
  LineSeries,
  type ISeriesApi,
  type ISeriesPrimitive,
  type MouseEventParams,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { SessionCalendar, Timeframe } from '@barstream/core';
import { type CandleChart, createCandleChart } from './candle-chart.ts';
import { type Candle, indexAtOrAfter } from './candle-merge.ts';
import { lineStyle } from './chart-theme.ts';
import type { LineSink, LinePoint } from './indicator-lines.ts';
import type { CandleSink } from './live-candles.ts';
import { type MarkerLayer, markerLayer } from './marker-layer.ts';
import { type ClusteredMarkers, clusterMarkers } from './marker-clusters.ts';
import type { LogicalRange } from './visible-range.ts';

export interface ChartSurface {
  readonly candleSink: CandleSink;
  readonly lineSink: LineSink;
  /** Signal markers in time order; those that would overlap at the current zoom are drawn as one. */
  setMarkers(markers: SeriesMarker<Time>[]): void;
  /** The markers drawn (clusters stand for several). */
  markers(): readonly SeriesMarker<Time>[];
  /** Drawn marker id → the signal marker ids it stands for. */
  markerMembers(): ReadonlyMap<string, readonly string[]>;
  setLineVisible(name: string, visible: boolean): void;
  /** 'UTC' or an IANA zone: axis and crosshair labels only. */
  setTimeZone(timeZone: string): void;
  formatTime(epochSeconds: number): string;
  onVisibleRangeChange(handler: (range: LogicalRange | null) => void): void;
  onCrosshairMove(handler: (param: MouseEventParams<Time>) => void): void;
  /** x pixel of a bar time (for tooltips and tests), or null when off screen. */
  timeToX(time: number): number | null;
  /** y pixel of a price on the candles' scale, or null. */
  priceToY(price: number): number | null;
  /** Draws `primitive` on the candle series (its prices, its time scale) until the chart is removed. */
  attachCandlePrimitive(primitive: ISeriesPrimitive<Time>): void;
  /** Clicks on the chart with the clicked bar's time (epoch seconds), or null off the bars; returns
   * the unsubscribe. (Trend labelling, web/lib/labels.) */
  onClick(handler: (time: number | null) => void): () => void;
  /** A markers layer of its own on the candles, beside the signal markers. (Trend labelling, alerts.) */
  createMarkerLayer(): MarkerLayer;
  remove(): void;
}

/** `calendar`: the contract's sessions; intraday charts then put their day marks on session
 * boundaries and a dashed line at each session's first candle. `booted`: the chart the page's boot
 * script already drew in `container` (chart-boot.ts), taken as it is: its candles are not drawn again. */
export function createChartSurface(
  container: HTMLElement,
  tf: Timeframe,
  lineNames: readonly string[],
  timeZone: string,
  calendar: SessionCalendar | null,
  booted?: CandleChart,
): ChartSurface {
  const base = booted ?? createCandleChart(container, tf, timeZone, calendar);
  // A booted chart whose series still hold only its first frame's bars gets the rest before lines,
  // markers or updates join them.
  booted?.settle();
  const { chart, candles } = base;
  const lines = new Map<string, ISeriesApi<'Line'>>(lineNames.map((n) => [n, chart.addSeries(LineSeries, lineStyle(n))]));
  const markerPlugin = markerLayer(candles);
  /** The booted chart's candles, until the first setAll finds them already drawn. */
  let bootedCandles: readonly Candle[] | undefined = booted?.drawn();
  let rawMarkers: SeriesMarker<Time>[] = [];
  let drawn: ClusteredMarkers = { markers: [], members: new Map() };
  let drawnSpacing = 0;
  const barIndex = (time: Time): number => indexAtOrAfter(base.drawn(), time as number);
  const drawMarkers = (): void => {
    if (rawMarkers.length > 0) base.settle(); // markers on bars the series may not hold yet
    drawnSpacing = chart.timeScale().options().barSpacing;
    drawn = clusterMarkers(rawMarkers, barIndex, drawnSpacing);
    markerPlugin.setMarkers(drawn.markers);
  };
  // Zooming changes which markers overlap.
  chart.timeScale().subscribeVisibleLogicalRangeChange(() => {
    if (chart.timeScale().options().barSpacing !== drawnSpacing && rawMarkers.length > 0) drawMarkers();
  });

  const candleSink: CandleSink = {
    setAll(all: readonly Candle[], keep: LogicalRange | null) {
      const already = bootedCandles !== undefined && keep === null && sameCandles(all, bootedCandles);
      bootedCandles = undefined;
      if (!already) base.draw(all, keep);
      drawMarkers();
    },
    update: (c: Candle) => base.update(c),
    visibleRange: () => chart.timeScale().getVisibleLogicalRange(),
  };

  const lineSink: LineSink = {
    setLine(name: string, points: readonly LinePoint[]) {
      base.settle(); // the lines' times beside all the candles', not the first frame's last bars only
      lines.get(name)?.setData(points.slice());
    },
    updateLine: (name: string, point: LinePoint) => lines.get(name)?.update(point),
  };

  return {
    candleSink,
    lineSink,
    setMarkers(m) {
      rawMarkers = m;
      drawMarkers();
    },
    markers: () => drawn.markers,
    markerMembers: () => drawn.members,
    setLineVisible: (name, visible) => lines.get(name)?.applyOptions({ visible }),
    setTimeZone: (zone) => base.setTimeZone(zone),
    formatTime: (s) => base.formatTime(s),
    onVisibleRangeChange: (handler) => chart.timeScale().subscribeVisibleLogicalRangeChange(handler),
    onCrosshairMove: (handler) => chart.subscribeCrosshairMove(handler),
    timeToX: (time) => chart.timeScale().timeToCoordinate(time as UTCTimestamp),
    priceToY: (price) => candles.priceToCoordinate(price),
    attachCandlePrimitive: (primitive) => candles.attachPrimitive(primitive),
    onClick(handler) {
      const listener = (param: MouseEventParams<Time>): void => handler(typeof param.time === 'number' ? param.time : null);
      chart.subscribeClick(listener);
      return () => chart.unsubscribeClick(listener);
    },
    createMarkerLayer: () => markerLayer(candles),
    remove() {
      markerPlugin.detach();
      base.remove();
    },
  };
}

/** The same candle objects in the same order: what the booted chart already shows. */
function sameCandles(a: readonly Candle[], b: readonly Candle[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
