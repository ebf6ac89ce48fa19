// The lightweight-charts objects of the trends chart (v5 API: addSeries, createSeriesMarkers) and
// the sinks the data layers draw through. Created and removed by the chart component.
import {
  CandlestickSeries,
  createChart,
  createChartEx,
  HistogramSeries,
  LineSeries,
  type IChartApi,
  type ISeriesApi,
  type HistogramData,
  type ISeriesPrimitive,
  type MouseEventParams,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { type SessionCalendar, type Timeframe, TimeframeUnit } from '@barstream/core';
import { type Candle, indexAtOrAfter } from './candle-merge.ts';
import {
  candleStyle,
  chartOptions,
  lineStyle,
  RIGHT_OFFSET_BARS,
  VOLUME_SCALE_ID,
  volumeColor,
  volumeScaleMargins,
  volumeStyle,
} from './chart-theme.ts';
import type { LineSink, LinePoint } from './indicator-lines.ts';
import type { CandleSink } from './live-candles.ts';
import { type MarkerLayer, markerLayer } from './marker-layer.ts';
import { type ClusteredMarkers, clusterMarkers } from './marker-clusters.ts';
import { SessionBreakPrimitive } from './session-break-primitive.ts';
import { sessionTimeScale } from './session-time-scale.ts';
import { chartTimeFormatters } from './time-format.ts';
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
 * boundaries and a dashed line at each session's first candle. */
export function createChartSurface(
  container: HTMLElement,
  tf: Timeframe,
  lineNames: readonly string[],
  timeZone: string,
  calendar: SessionCalendar | null,
): ChartSurface {
  const options = chartOptions(tf.unit === TimeframeUnit.second);
  const sessionTicks = calendar !== null && tf.unit < TimeframeUnit.day ? calendar : null;
  // createChart is createChartEx with the default time scale: the same chart API.
  const chart: IChartApi = sessionTicks
    ? createChartEx(container, sessionTimeScale(sessionTicks), options)
    : createChart(container, options);
  const candles = chart.addSeries(CandlestickSeries, candleStyle);
  const volume = chart.addSeries(HistogramSeries, volumeStyle);
  chart.priceScale(VOLUME_SCALE_ID).applyOptions({ scaleMargins: volumeScaleMargins });
  const lines = new Map<string, ISeriesApi<'Line'>>(lineNames.map((n) => [n, chart.addSeries(LineSeries, lineStyle(n))]));
  const markerPlugin = markerLayer(candles);
  /** The candles' times, for markers' bar positions and session breaks. */
  let times: { time: number }[] = [];
  // Intraday: a dashed line where each session starts, so halts, weekends and holidays read as breaks.
  if (sessionTicks) candles.attachPrimitive(new SessionBreakPrimitive(sessionTicks, () => times));
  let fitted = false;
  let rawMarkers: SeriesMarker<Time>[] = [];
  let drawn: ClusteredMarkers = { markers: [], members: new Map() };
  let drawnSpacing = 0;
  const barIndex = (time: Time): number => indexAtOrAfter(times, time as number);
  const drawMarkers = (): void => {
    drawnSpacing = chart.timeScale().options().barSpacing;
    drawn = clusterMarkers(rawMarkers, barIndex, drawnSpacing);
    markerPlugin.setMarkers(drawn.markers);
  };
  // Zooming changes which markers overlap.
  chart.timeScale().subscribeVisibleLogicalRangeChange(() => {
    if (chart.timeScale().options().barSpacing !== drawnSpacing && rawMarkers.length > 0) drawMarkers();
  });
  let formatters = chartTimeFormatters(timeZone, tf, sessionTicks);
  const applyZone = (): void =>
    chart.applyOptions({
      localization: { timeFormatter: (t: Time) => formatters.timeFormatter(t) },
      timeScale: { tickMarkFormatter: (t: Time, type: number) => formatters.tickMarkFormatter(t, type) },
    });
  applyZone();

  const candleSink: CandleSink = {
    setAll(all: readonly Candle[], keep: LogicalRange | null) {
      const vols = new Array<HistogramData<Time>>(all.length);
      for (let i = 0; i < all.length; i++) {
        const c = all[i] as Candle;
        vols[i] = { time: c.time, value: c.volume, color: volumeColor(c.open, c.close) };
      }
      // A candle is already a CandlestickData (its volume is one field more, which the series
      // ignores; setData copies what it keeps): no second 10,000 objects before the first paint.
      candles.setData(all as Candle[]);
      volume.setData(vols);
      times = all.slice();
      if (keep) chart.timeScale().setVisibleLogicalRange(keep);
      else if (!fitted && all.length > 0) {
        fitted = true;
        // A sparse series (a new contract, daily bars) would huddle at the right edge: spread it over
        // the width, with one bar of room after the last (six would be a third of a short chart).
        const scale = chart.timeScale();
        if ((all.length + RIGHT_OFFSET_BARS) * scale.options().barSpacing < scale.width()) {
          scale.applyOptions({ rightOffset: 1 });
          scale.fitContent();
        }
      }
      drawMarkers();
    },
    update(c: Candle) {
      if ((times[times.length - 1]?.time ?? Number.NEGATIVE_INFINITY) < c.time) times.push(c);
      candles.update({ time: c.time, open: c.open, high: c.high, low: c.low, close: c.close });
      volume.update({ time: c.time, value: c.volume, color: volumeColor(c.open, c.close) });
    },
    visibleRange: () => chart.timeScale().getVisibleLogicalRange(),
  };

  const lineSink: LineSink = {
    setLine: (name: string, points: readonly LinePoint[]) => lines.get(name)?.setData(points.slice()),
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
    setTimeZone(zone) {
      formatters = chartTimeFormatters(zone, tf, sessionTicks);
      applyZone();
    },
    formatTime: (s) => formatters.timeFormatter(s),
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
      chart.remove();
    },
  };
}
