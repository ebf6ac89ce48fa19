// The lightweight-charts objects of the trends chart (v5 API: addSeries, createSeriesMarkers) and
// the sinks the data layers draw through. Created and removed by the chart component.
import {
  type CandlestickData, CandlestickSeries, createChart, createSeriesMarkers, HistogramSeries, LineSeries, type IChartApi, type HistogramData, type ISeriesApi,
  type ISeriesMarkersPluginApi, type MouseEventParams, type SeriesMarker, type Time, type UTCTimestamp,
} from 'lightweight-charts';
import { type Timeframe, TimeframeUnit } from '@barstream/core';
import type { Candle } from './candle-merge.ts';
import {
  candleStyle, chartOptions, lineStyle, VOLUME_SCALE_ID, volumeColor, volumeScaleMargins, volumeStyle,
} from './chart-theme.ts';
import type { LineSink, LinePoint } from './indicator-lines.ts';
import type { CandleSink } from './live-candles.ts';
import { chartTimeFormatters } from './time-format.ts';
import type { LogicalRange } from './visible-range.ts';

export interface ChartSurface {
  readonly candleSink: CandleSink;
  readonly lineSink: LineSink;
  setMarkers(markers: SeriesMarker<Time>[]): void;
  markers(): readonly SeriesMarker<Time>[];
  setLineVisible(name: string, visible: boolean): void;
  /** 'UTC' or an IANA zone: axis and crosshair labels only. */
  setTimeZone(timeZone: string): void;
  formatTime(epochSeconds: number): string;
  onVisibleRangeChange(handler: (range: LogicalRange | null) => void): void;
  onCrosshairMove(handler: (param: MouseEventParams<Time>) => void): void;
  /** x pixel of a bar time (for tooltips and tests), or null when off screen. */
  timeToX(time: number): number | null;
  remove(): void;
}

export function createChartSurface(container: HTMLElement, tf: Timeframe, lineNames: readonly string[], timeZone: string): ChartSurface {
  const chart: IChartApi = createChart(container, chartOptions(tf.unit === TimeframeUnit.second));
  const candles = chart.addSeries(CandlestickSeries, candleStyle);
  const volume = chart.addSeries(HistogramSeries, volumeStyle);
  chart.priceScale(VOLUME_SCALE_ID).applyOptions({ scaleMargins: volumeScaleMargins });
  const lines = new Map<string, ISeriesApi<'Line'>>(lineNames.map((n) => [n, chart.addSeries(LineSeries, lineStyle(n))]));
  const markerPlugin: ISeriesMarkersPluginApi<Time> = createSeriesMarkers(candles, []);
  let formatters = chartTimeFormatters(timeZone, tf);
  const applyZone = (): void => chart.applyOptions({
    localization: { timeFormatter: (t: Time) => formatters.timeFormatter(t) },
    timeScale: { tickMarkFormatter: (t: Time, type: number) => formatters.tickMarkFormatter(t, type) },
  });
  applyZone();

  const candleSink: CandleSink = {
    setAll(all: readonly Candle[], keep: LogicalRange | null) {
      const bars = new Array<CandlestickData<Time>>(all.length);
      const vols = new Array<HistogramData<Time>>(all.length);
      for (let i = 0; i < all.length; i++) {
        const c = all[i] as Candle;
        bars[i] = { time: c.time, open: c.open, high: c.high, low: c.low, close: c.close };
        vols[i] = { time: c.time, value: c.volume, color: volumeColor(c.open, c.close) };
      }
      candles.setData(bars);
      volume.setData(vols);
      if (keep) chart.timeScale().setVisibleLogicalRange(keep);
    },
    update(c: Candle) {
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
    setMarkers: (m) => markerPlugin.setMarkers(m),
    markers: () => markerPlugin.markers(),
    setLineVisible: (name, visible) => lines.get(name)?.applyOptions({ visible }),
    setTimeZone(zone) {
      formatters = chartTimeFormatters(zone, tf);
      applyZone();
    },
    formatTime: (s) => formatters.timeFormatter(s),
    onVisibleRangeChange: (handler) => chart.timeScale().subscribeVisibleLogicalRangeChange(handler),
    onCrosshairMove: (handler) => chart.subscribeCrosshairMove(handler),
    timeToX: (time) => chart.timeScale().timeToCoordinate(time as UTCTimestamp),
    remove() {
      markerPlugin.detach();
      chart.remove();
    },
  };
}
