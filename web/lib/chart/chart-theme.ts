// Look of the candle chart: dark layout, teal/red candles, seconds on the axis only for second bars.
import { ColorType, type CandlestickSeriesPartialOptions, type ChartOptions, type DeepPartial } from 'lightweight-charts';

export function chartOptions(timeframe: string): DeepPartial<ChartOptions> {
  return {
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: '#12151c' },
      textColor: '#c9d1d9',
      fontFamily: 'Inter, system-ui, sans-serif',
    },
    grid: { vertLines: { color: '#1f2430' }, horzLines: { color: '#1f2430' } },
    rightPriceScale: { borderColor: '#2a3040' },
    // Room right of the forming candle, so it and its time label are not pressed against the axis.
    timeScale: { borderColor: '#2a3040', timeVisible: true, secondsVisible: timeframe.endsWith('s'), rightOffset: 6 },
  };
}

export const candleStyle: CandlestickSeriesPartialOptions = {
  upColor: '#26a69a',
  downColor: '#ef5350',
  borderVisible: false,
  wickUpColor: '#26a69a',
  wickDownColor: '#ef5350',
};
