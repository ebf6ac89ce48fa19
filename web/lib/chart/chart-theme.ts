// Look of the trends chart: dark layout, teal/red candles, a volume histogram along the bottom and
// two moving-average lines.
import {
  ColorType,
  type CandlestickSeriesPartialOptions,
  type ChartOptions,
  type DeepPartial,
  type HistogramSeriesPartialOptions,
  type LineSeriesPartialOptions,
} from 'lightweight-charts';

export const UP_COLOR = '#26a69a';
export const DOWN_COLOR = '#ef5350';
const UP_VOLUME = 'rgba(38, 166, 154, 0.45)';
const DOWN_VOLUME = 'rgba(239, 83, 80, 0.45)';

/** Bars of room right of the forming candle. */
export const RIGHT_OFFSET_BARS = 6;

export function chartOptions(secondsVisible: boolean): DeepPartial<ChartOptions> {
  return {
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: '#12151c' },
      textColor: '#c9d1d9',
      fontFamily: 'Inter, system-ui, sans-serif',
    },
    grid: { vertLines: { color: '#1f2430' }, horzLines: { color: '#1f2430' } },
    // Candles in the top four fifths, leaving the bottom to the volume histogram.
    rightPriceScale: { borderColor: '#2a3040', scaleMargins: { top: 0.08, bottom: 0.22 } },
    // Room right of the forming candle, so it and its time label are not pressed against the axis.
    timeScale: { borderColor: '#2a3040', timeVisible: true, secondsVisible, rightOffset: RIGHT_OFFSET_BARS },
    crosshair: { mode: 0 },
  };
}

export const candleStyle: CandlestickSeriesPartialOptions = {
  upColor: UP_COLOR,
  downColor: DOWN_COLOR,
  borderVisible: false,
  wickUpColor: UP_COLOR,
  wickDownColor: DOWN_COLOR,
};

/** Its own, unlabelled price scale pinned to the bottom fifth. */
export const VOLUME_SCALE_ID = 'volume';
export const volumeStyle: HistogramSeriesPartialOptions = {
  priceScaleId: VOLUME_SCALE_ID,
  priceFormat: { type: 'volume' },
  lastValueVisible: false,
  priceLineVisible: false,
};
export const volumeScaleMargins = { top: 0.82, bottom: 0 };

export const volumeColor = (open: number, close: number): string => (close >= open ? UP_VOLUME : DOWN_VOLUME);

const LINE_COLORS: Readonly<Record<string, string>> = { ema_20: '#f0b429', ema_50: '#58a6ff' };

export function lineStyle(name: string): LineSeriesPartialOptions {
  return {
    color: LINE_COLORS[name] ?? '#b39ddb',
    lineWidth: 2,
    priceLineVisible: false,
    // The value tag sits on the price axis, clear of the bars; a series title would be drawn inside
    // the pane beside it, over the newest bars (the legend names the lines instead).
    lastValueVisible: true,
    crosshairMarkerVisible: false,
  };
}

export const lineColor = (name: string): string => LINE_COLORS[name] ?? '#b39ddb';
