// The legend over the chart: open, high, low, close, volume and change of the bar under the cursor,
// or of the newest bar when the cursor is elsewhere (as TradingView's), with the overlays' values
// at that bar. Pure.
import { formatPrice } from '../format.ts';
import { type Candle, indexAtOrAfter } from './candle-merge.ts';

export type LegendDirection = 'up' | 'down' | 'flat';

export interface BarLegend {
  /** Epoch seconds of the bar shown. */
  readonly time: number;
  /** The newest bar (no bar under the cursor). */
  readonly latest: boolean;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
  /** Close against the previous bar's close (the bar's open for the first bar), signed, with percent. */
  readonly change: string;
  readonly direction: LegendDirection;
  /** Overlay name → its value at this bar, formatted; '—' while it warms up. */
  readonly lines: readonly { readonly name: string; readonly value: string }[];
}

/**
 * `candles` ascending by time; `time`: the bar under the cursor, or undefined for the newest bar.
 * `lineValue(name, time)`: an overlay's value at a bar, if it has one. Null when there is no bar to show.
 */
export function barLegend(
  candles: readonly Candle[],
  time: number | undefined,
  tickSize: number,
  lineNames: readonly string[] = [],
  lineValue: (name: string, time: number) => number | undefined = () => undefined,
): BarLegend | null {
  let i = candles.length - 1;
  if (time !== undefined) {
    const at = indexAtOrAfter(candles, time);
    if (candles[at]?.time === time) i = at;
  }
  const bar = candles[i];
  if (!bar) return null;
  const reference = candles[i - 1]?.close ?? bar.open;
  const change = bar.close - reference;
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  const percent = reference === 0 ? '' : ` (${sign}${Math.abs((change / reference) * 100).toFixed(2)}%)`;
  return {
    time: bar.time,
    latest: i === candles.length - 1,
    open: formatPrice(bar.open, tickSize),
    high: formatPrice(bar.high, tickSize),
    low: formatPrice(bar.low, tickSize),
    close: formatPrice(bar.close, tickSize),
    volume: formatVolume(bar.volume),
    change: `${sign}${formatPrice(Math.abs(change), tickSize)}${percent}`,
    direction: change > 0 ? 'up' : change < 0 ? 'down' : 'flat',
    lines: lineNames.map((name) => {
      const v = lineValue(name, bar.time);
      return { name, value: v === undefined ? '—' : formatPrice(v, tickSize) };
    }),
  };
}

/** 950, 12.3K, 4.56M: a volume at a glance. */
export function formatVolume(volume: number): string {
  if (!Number.isFinite(volume)) return '—';
  const abs = Math.abs(volume);
  if (abs >= 1e9) return `${(volume / 1e9).toFixed(2)}B`;
  if (abs >= 1e6) return `${(volume / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `${(volume / 1e3).toFixed(1)}K`;
  return Number.isInteger(volume) ? String(volume) : volume.toFixed(2);
}
