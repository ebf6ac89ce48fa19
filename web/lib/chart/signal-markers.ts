// Signals as chart markers: trend starts as arrows, other strategies' signals as toggleable sets of
// circles, each marker carrying its signal id so a hover can name it. Pure.
import type { SeriesMarker, Time, UTCTimestamp } from 'lightweight-charts';

export interface ChartSignal {
  readonly signalId: number;
  readonly analyzerId: string;
  readonly timeframe: string;
  /** Open time of the bar the signal is about, epoch seconds. */
  readonly time: UTCTimestamp;
  readonly signalType: string;
  readonly price: number | null;
  readonly details: Readonly<Record<string, unknown>>;
}

/** The wire shape shared by /api/signals rows and broadcaster `signal` messages. */
export interface SignalLike {
  readonly signal_id: number;
  readonly analyzer_id: string;
  readonly timestamp: string;
  readonly signal_type: string;
  readonly signal_price: number | null;
  readonly details: Readonly<Record<string, unknown>>;
}

export function toChartSignal(s: SignalLike, timeframe: string): ChartSignal | undefined {
  const ms = Date.parse(s.timestamp);
  if (!Number.isFinite(ms)) return undefined;
  return {
    signalId: s.signal_id,
    analyzerId: s.analyzer_id,
    timeframe,
    time: Math.floor(ms / 1000) as UTCTimestamp,
    signalType: s.signal_type,
    price: s.signal_price,
    details: s.details,
  };
}

export type Direction = 'up' | 'down' | 'neutral';

/** Analyzers name types freely ('uptrend_start', 'buy', 'cds'…); direction is all a marker needs. */
export function directionOf(signalType: string): Direction {
  const t = signalType.toLowerCase();
  if (t.includes('down') || t.includes('sell') || t.includes('cds') || t.includes('short')) return 'down';
  if (t.includes('up') || t.includes('buy') || t.includes('cus') || t.includes('long')) return 'up';
  return 'neutral';
}

export interface MarkerVisibility {
  readonly trendStarts: boolean;
  /** Analyzers (other than the trend analyzer) whose markers are switched off. */
  readonly hiddenAnalyzers: ReadonlySet<string>;
}

/** Trend starts in blue and orange: neither the candles' teal/red nor any strategy's hue, so an
 * arrow reads as "trend start", never as a buy or sell signal or as a candle's colour. */
export const TREND_UP_COLOR = '#2979ff';
export const TREND_DOWN_COLOR = '#ff9100';
const NEUTRAL = '#9e9e9e';
/** Other strategies' markers: one hue per analyzer, distinct from the trend arrows and candles. */
const ANALYZER_COLORS = ['#e040fb', '#ffee58', '#9ccc65', '#f48fb1', '#bdbdbd'];

export const markerId = (signalId: number): string => `signal-${signalId}`;

export function analyzerColor(analyzerId: string, analyzers: readonly string[]): string {
  const i = Math.max(0, analyzers.indexOf(analyzerId));
  return ANALYZER_COLORS[i % ANALYZER_COLORS.length] as string;
}

/** Other analyzers in first-seen order: stable colors and toggles while signals arrive. */
export function otherAnalyzers(signals: Iterable<ChartSignal>, trendAnalyzer: string): string[] {
  const seen: string[] = [];
  for (const s of signals) if (s.analyzerId !== trendAnalyzer && !seen.includes(s.analyzerId)) seen.push(s.analyzerId);
  return seen.sort();
}

export function signalMarkers(signals: Iterable<ChartSignal>, trendAnalyzer: string, visibility: MarkerVisibility): SeriesMarker<Time>[] {
  const list = [...signals];
  const analyzers = otherAnalyzers(list, trendAnalyzer);
  const markers: SeriesMarker<Time>[] = [];
  for (const s of list) {
    const direction = directionOf(s.signalType);
    const id = markerId(s.signalId);
    if (s.analyzerId === trendAnalyzer) {
      if (!visibility.trendStarts) continue;
      if (direction === 'neutral') markers.push({ id, time: s.time, position: 'inBar', shape: 'circle', color: NEUTRAL });
      else if (direction === 'up')
        markers.push({ id, time: s.time, position: 'belowBar', shape: 'arrowUp', color: TREND_UP_COLOR, size: 1.5 });
      else markers.push({ id, time: s.time, position: 'aboveBar', shape: 'arrowDown', color: TREND_DOWN_COLOR, size: 1.5 });
      continue;
    }
    if (visibility.hiddenAnalyzers.has(s.analyzerId)) continue;
    markers.push({
      id,
      time: s.time,
      shape: 'circle',
      color: analyzerColor(s.analyzerId, analyzers),
      text: s.signalType,
      position: direction === 'down' ? 'aboveBar' : 'belowBar',
    });
  }
  // The markers plugin wants time order; same-time markers keep a stable order by id.
  return markers.sort((a, b) => (a.time as number) - (b.time as number) || (a.id ?? '').localeCompare(b.id ?? ''));
}
