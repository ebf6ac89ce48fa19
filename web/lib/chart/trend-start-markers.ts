// Chart markers for trend starts: an up arrow under an uptrend's first bar, a down arrow over a downtrend's.
import { toEpochSeconds } from '@barstream/core';
import type { SeriesMarker, Time, UTCTimestamp } from 'lightweight-charts';
import type { WireTrendStart } from '../api-schemas.ts';

const UP_COLOR = '#26a69a';
const DOWN_COLOR = '#ef5350';

export function trendStartMarkers(signals: readonly WireTrendStart[]): SeriesMarker<Time>[] {
  const markers: SeriesMarker<Time>[] = [];
  for (const s of signals) {
    const ms = Date.parse(s.timestamp);
    if (!Number.isFinite(ms)) continue;
    const time = toEpochSeconds(ms) as number as UTCTimestamp;
    // Analyzers name types freely ('uptrend_start', 'up', 'cus'…); direction is all the chart needs.
    const type = s.signal_type.toLowerCase();
    if (type.includes('down') || type.includes('cds')) {
      markers.push({ time, position: 'aboveBar', shape: 'arrowDown', color: DOWN_COLOR, text: s.signal_type });
    } else if (type.includes('up') || type.includes('cus')) {
      markers.push({ time, position: 'belowBar', shape: 'arrowUp', color: UP_COLOR, text: s.signal_type });
    } else {
      markers.push({ time, position: 'inBar', shape: 'circle', color: '#9e9e9e', text: s.signal_type });
    }
  }
  return markers.sort((a, b) => (a.time as number) - (b.time as number));
}
