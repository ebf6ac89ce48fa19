// Trend labels and a detector's scored trend starts as chart markers. Labels are squares at the bar
// (below it for an up start, above for a down start); with a score shown, each label is coloured
// hit or miss and each detection in the range is a circle coloured hit or extra. Pure.
import type { SeriesMarker, Time, UTCTimestamp } from 'lightweight-charts';
import type { ScoreResponse, WireTrendLabel } from '../api/trend-label-schemas.ts';

export const LABEL_COLOR = '#e0e0e0';
export const OUTCOME_COLORS = { hit: '#00c853', miss: '#ffab00', extra: '#ff1744' } as const;

const seconds = (iso: string): UTCTimestamp => Math.floor(Date.parse(iso) / 1000) as UTCTimestamp;

export function labelMarkers(labels: readonly WireTrendLabel[], score: ScoreResponse | null): SeriesMarker<Time>[] {
  const outcome = new Map<string, 'hit' | 'miss'>();
  for (const e of score?.tolerant.events ?? []) {
    if (e.source === 'label' && e.outcome !== 'extra') outcome.set(`${seconds(e.time)}|${e.direction}`, e.outcome);
  }
  const markers: SeriesMarker<Time>[] = [];
  for (const l of labels) {
    const time = seconds(l.timestamp);
    const up = l.label_type === 'uptrend_start';
    const result = outcome.get(`${time}|${up ? 'up' : 'down'}`);
    markers.push({
      id: `label-${l.label_id}`,
      time,
      position: up ? 'belowBar' : 'aboveBar',
      shape: 'square',
      color: result ? OUTCOME_COLORS[result] : LABEL_COLOR,
      text: `${up ? 'L↑' : 'L↓'}${result ? ` ${result}` : ''}`,
    });
  }
  for (const e of score?.tolerant.events ?? []) {
    if (e.source !== 'detection') continue;
    markers.push({
      id: `detection-${e.time}-${e.direction}`,
      time: seconds(e.time),
      position: e.direction === 'up' ? 'belowBar' : 'aboveBar',
      shape: 'circle',
      color: OUTCOME_COLORS[e.outcome],
      text: e.outcome,
    });
  }
  // The markers plugin wants them in time order.
  return markers.sort((a, b) => (a.time as number) - (b.time as number));
}
