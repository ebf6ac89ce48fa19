// Alerts as chart markers on /trends: a severity-coloured arrow at the alert's bar
// (below for long, above for short and for setups without a side), text "A" plus the rule. Pure.
import type { SeriesMarker, Time, UTCTimestamp } from 'lightweight-charts';
import type { WireAlert } from '../api/alert-schemas.ts';

export const SEVERITY_COLORS = { info: '#40c4ff', warning: '#ffab00', critical: '#ff1744' } as const;

export type MarkedAlert = Pick<WireAlert, 'alert_id' | 'bar_time' | 'direction' | 'severity' | 'rule'>;

export function alertMarkers(alerts: readonly MarkedAlert[]): SeriesMarker<Time>[] {
  return alerts
    .map((a): SeriesMarker<Time> => ({
      id: `alert-${a.alert_id}`,
      time: Math.floor(Date.parse(a.bar_time) / 1000) as UTCTimestamp,
      position: a.direction === 'long' ? 'belowBar' : 'aboveBar',
      shape: a.direction === 'long' ? 'arrowUp' : a.direction === 'short' ? 'arrowDown' : 'circle',
      color: SEVERITY_COLORS[a.severity],
      text: `A ${a.rule}`,
    }))
    .sort((a, b) => (a.time as number) - (b.time as number));
}

/** The DOM event the alert toasts dispatch for every alert_created, so a chart refetches its markers
 * without a socket of its own. */
export const ALERT_EVENT = 'barstream:alert';
export interface AlertEventDetail {
  readonly contract_id: string;
  readonly timeframe: string;
}
