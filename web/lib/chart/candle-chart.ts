// The part of the trends chart its first frame shows: the lightweight-charts chart with its candles,
// the volume histogram along the bottom, the session break lines and the time labels. The chart
// boot (chart-boot.ts) creates it from the server-rendered HTML before React has hydrated; the chart
// surface (chart-surface.ts) creates it, or adopts the booted one, and adds lines, markers and the rest.
import {
  CandlestickSeries,
  createChart,
  createChartEx,
  HistogramSeries,
  type HistogramData,
  type IChartApi,
  type ISeriesApi,
  type Time,
} from 'lightweight-charts';
import { type SessionCalendar, type Timeframe, TimeframeUnit } from '@barstream/core';
import type { Candle } from './candle-merge.ts';
import {
  candleStyle,
  chartOptions,
  RIGHT_OFFSET_BARS,
  VOLUME_SCALE_ID,
  volumeColor,
  volumeScaleMargins,
  volumeStyle,
} from './chart-theme.ts';
import { SessionBreakPrimitive } from './session-break-primitive.ts';
import { sessionTimeScale } from './session-time-scale.ts';
import { chartTimeFormatters } from './time-format.ts';
import type { LogicalRange } from './visible-range.ts';

export interface CandleChart {
  readonly chart: IChartApi;
  readonly candles: ISeriesApi<'Candlestick'>;
  readonly volume: ISeriesApi<'Histogram'>;
  /** The element the chart was created in. */
  readonly container: HTMLElement;
  /** The candles drawn, in time order (the very objects last given to `draw`). */
  drawn(): readonly Candle[];
  /** Replaces every candle and volume bar; `keep`: the logical range to show afterwards (null: leave
   * the view, spreading a sparse series over the width the first time). */
  draw(all: readonly Candle[], keep: LogicalRange | null): void;
  /** Draws a candle at or after the last one drawn. */
  update(c: Candle): void;
  /** 'UTC' or an IANA zone: axis and crosshair labels only. */
  setTimeZone(timeZone: string): void;
  formatTime(epochSeconds: number): string;
}

/** `calendar`: the contract's sessions; intraday charts then put their day marks on session
 * boundaries and a dashed line at each session's first candle. */
export function createCandleChart(container: HTMLElement, tf: Timeframe, timeZone: string, calendar: SessionCalendar | null): CandleChart {
  const options = chartOptions(tf.unit === TimeframeUnit.second);
  const sessionTicks = calendar !== null && tf.unit < TimeframeUnit.day ? calendar : null;
  // createChart is createChartEx with the default time scale: the same chart API.
  const chart: IChartApi = sessionTicks
    ? createChartEx(container, sessionTimeScale(sessionTicks), options)
    : createChart(container, options);
  const candles = chart.addSeries(CandlestickSeries, candleStyle);
  const volume = chart.addSeries(HistogramSeries, volumeStyle);
  chart.priceScale(VOLUME_SCALE_ID).applyOptions({ scaleMargins: volumeScaleMargins });
  let times: Candle[] = [];
  // Intraday: a dashed line where each session starts, so halts, weekends and holidays read as breaks.
  if (sessionTicks) candles.attachPrimitive(new SessionBreakPrimitive(sessionTicks, () => times));
  let fitted = false;
  let formatters = chartTimeFormatters(timeZone, tf, sessionTicks);
  const applyZone = (): void =>
    chart.applyOptions({
      localization: { timeFormatter: (t: Time) => formatters.timeFormatter(t) },
      timeScale: { tickMarkFormatter: (t: Time, type: number) => formatters.tickMarkFormatter(t, type) },
    });
  applyZone();

  return {
    chart,
    candles,
    volume,
    container,
    drawn: () => times,
    draw(all, keep) {
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
    },
    update(c) {
      if ((times[times.length - 1]?.time ?? Number.NEGATIVE_INFINITY) < c.time) times.push(c);
      candles.update({ time: c.time, open: c.open, high: c.high, low: c.low, close: c.close });
      volume.update({ time: c.time, value: c.volume, color: volumeColor(c.open, c.close) });
    },
    setTimeZone(zone) {
      formatters = chartTimeFormatters(zone, tf, sessionTicks);
      applyZone();
    },
    formatTime: (s) => formatters.timeFormatter(s),
  };
}
