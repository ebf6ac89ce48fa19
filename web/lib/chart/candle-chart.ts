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
  type ITimeScaleApi,
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
   * the view, spreading a sparse series over the width the first time). The first drawing of a long
   * history sets the series to its last bars, as many as the first frame needs, and the rest in the
   * task after that frame (settle). */
  draw(all: readonly Candle[], keep: LogicalRange | null): void;
  /** Sets the rest of a first drawing now if the series still hold only its last bars (draw); the
   * task after the first frame does it otherwise. Before anything else reads or adds to the series. */
  settle(): void;
  /** `done` once the series hold every candle drawn (now, or when settle has run). */
  afterAllSet(done: () => void): void;
  /** Removes the chart (and a rest of a first drawing not set yet). */
  remove(): void;
  /** Draws a candle at or after the last one drawn. */
  update(c: Candle): void;
  /** 'UTC' or an IANA zone: axis and crosshair labels only. */
  setTimeZone(timeZone: string): void;
  formatTime(epochSeconds: number): string;
}

/** `calendar`: the contract's sessions; intraday charts then put their day marks on session
 * boundaries and a dashed line at each session's first candle. `firstFrame`: 'whole' sets every bar
 * of the first drawing at once (what a first frame drew before; the first-frame test compares the two). */
export function createCandleChart(
  container: HTMLElement,
  tf: Timeframe,
  timeZone: string,
  calendar: SessionCalendar | null,
  firstFrame: 'last-bars' | 'whole' = 'last-bars',
): CandleChart {
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
  /** The candles the series do not hold yet (the first frame was drawn from their last bars). */
  let pending: readonly Candle[] | undefined;
  let allSet: Array<() => void> = [];
  const setSeries = (all: readonly Candle[]): void => {
    const vols = new Array<HistogramData<Time>>(all.length);
    for (let i = 0; i < all.length; i++) {
      const c = all[i] as Candle;
      vols[i] = { time: c.time, value: c.volume, color: volumeColor(c.open, c.close) };
    }
    // A candle is already a CandlestickData (its volume is one field more, which the series
    // ignores; setData copies what it keeps): no second 10,000 objects before the first paint.
    candles.setData(all as Candle[]);
    volume.setData(vols);
  };
  const runAllSet = (): void => {
    const done = allSet;
    allSet = [];
    for (const f of done) f();
  };
  const settle = (): void => {
    const all = pending;
    if (!all) return;
    pending = undefined;
    setSeries(all);
    runAllSet();
  };
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
      pending = undefined;
      // The first drawing of a long history: the bars its first frame shows (and enough before them),
      // the rest in the task after that frame (firstFrameStart).
      const from = keep === null && !fitted && firstFrame === 'last-bars' ? firstFrameStart(all.length, chart.timeScale()) : 0;
      setSeries(from > 0 ? all.slice(from) : all);
      times = all.slice();
      if (from > 0) {
        pending = times;
        requestAnimationFrame(() => setTimeout(settle, 0));
      } else runAllSet();
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
    settle,
    afterAllSet(done) {
      if (pending) allSet.push(done);
      else done();
    },
    update(c) {
      settle();
      if ((times[times.length - 1]?.time ?? Number.NEGATIVE_INFINITY) < c.time) times.push(c);
      candles.update({ time: c.time, open: c.open, high: c.high, low: c.low, close: c.close });
      volume.update({ time: c.time, value: c.volume, color: volumeColor(c.open, c.close) });
    },
    remove() {
      pending = undefined;
      allSet = [];
      chart.remove();
    },
    setTimeZone(zone) {
      formatters = chartTimeFormatters(zone, tf, sessionTicks);
      applyZone();
    },
    formatTime: (s) => formatters.timeFormatter(s),
  };
}

/** Bars before the first frame's own that its drawing is given too. The time axis chooses its labels
 * from the first bar on (a mark too close to a kept one is dropped, level by level): a different first
 * bar can change that choice only up to the next mark every level keeps (an hour for 1m bars), far
 * left of the view. The price scales fit the bars in view only. */
const FIRST_FRAME_EARLIER_BARS = 500;

/** Where the first frame's bars start in `count`, or 0 (all of them: a short history, or a chart not
 * sized yet). The view is the last bars (`rightOffset` after the last), as wide as the time scale. */
function firstFrameStart(count: number, scale: ITimeScaleApi<Time>): number {
  const width = scale.width();
  if (width <= 0 || typeof requestAnimationFrame !== 'function') return 0;
  const shown = Math.ceil(width / scale.options().barSpacing);
  return Math.max(0, count - shown - FIRST_FRAME_EARLIER_BARS);
}
