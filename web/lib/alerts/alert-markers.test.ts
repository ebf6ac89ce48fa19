import { describe, expect, it } from 'vitest';
import { alertMarkers, SEVERITY_COLORS } from './alert-markers.ts';

describe('alertMarkers', () => {
  it('puts each alert at its bar in time order, shaped by side and coloured by severity', () => {
    const markers = alertMarkers([
      { alert_id: 2, bar_time: '2025-03-17T14:05:00.000Z', direction: 'short', severity: 'critical', rule: 'r2' },
      { alert_id: 1, bar_time: '2025-03-17T14:00:00.000Z', direction: 'long', severity: 'info', rule: 'r1' },
      { alert_id: 3, bar_time: '2025-03-17T14:10:00.000Z', direction: 'none', severity: 'warning', rule: 'r3' },
    ]);
    expect(markers).toEqual([
      { id: 'alert-1', time: 1742220000, position: 'belowBar', shape: 'arrowUp', color: SEVERITY_COLORS.info, text: 'A r1' },
      { id: 'alert-2', time: 1742220300, position: 'aboveBar', shape: 'arrowDown', color: SEVERITY_COLORS.critical, text: 'A r2' },
      { id: 'alert-3', time: 1742220600, position: 'aboveBar', shape: 'circle', color: SEVERITY_COLORS.warning, text: 'A r3' },
    ]);
  });
});
