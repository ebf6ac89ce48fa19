import { describe, expect, it } from 'vitest';
import type { ScoreResponse, WireTrendLabel } from '../api/trend-label-schemas.ts';
import { LABEL_COLOR, labelMarkers, OUTCOME_COLORS } from './label-markers.ts';

const label = (id: number, iso: string, type: WireTrendLabel['label_type']): WireTrendLabel => ({
  label_id: id,
  contract_id: 'X',
  timeframe: '5m',
  timestamp: iso,
  label_type: type,
  author: '',
  created_at: iso,
});
const metrics = { tp: 0, fp: 0, fn: 0, precision: null, recall: null, f1: null };

describe('labelMarkers', () => {
  const labels = [label(2, '2025-03-17T14:10:00.000Z', 'downtrend_start'), label(1, '2025-03-17T14:00:00.000Z', 'uptrend_start')];

  it('draws labels as squares, up below and down above the bar, in time order', () => {
    const m = labelMarkers(labels, null);
    expect(m.map((x) => [x.id, x.time, x.position, x.shape, x.color, x.text])).toEqual([
      ['label-1', 1742220000, 'belowBar', 'square', LABEL_COLOR, 'L↑'],
      ['label-2', 1742220600, 'aboveBar', 'square', LABEL_COLOR, 'L↓'],
    ]);
  });

  it('colours labels hit/miss and adds detections as hit/extra circles when a score is shown', () => {
    const events = [
      {
        source: 'label',
        time: '2025-03-17T14:00:00.000Z',
        direction: 'up',
        outcome: 'hit',
        matched_time: '2025-03-17T14:05:00.000Z',
        distance: 1,
      },
      {
        source: 'detection',
        time: '2025-03-17T14:05:00.000Z',
        direction: 'up',
        outcome: 'hit',
        matched_time: '2025-03-17T14:00:00.000Z',
        distance: 1,
      },
      { source: 'label', time: '2025-03-17T14:10:00.000Z', direction: 'down', outcome: 'miss', matched_time: null, distance: null },
      { source: 'detection', time: '2025-03-17T14:15:00.000Z', direction: 'down', outcome: 'extra', matched_time: null, distance: null },
    ] as const;
    const match = { k: 1, up: metrics, down: metrics, overall: metrics, events: [...events] };
    const score: ScoreResponse = {
      contract_id: 'X',
      timeframe: '5m',
      detector: 'trend',
      analyzer_id: 'a',
      author: null,
      from: null,
      to: null,
      bars: 4,
      exact: match,
      tolerant: match,
    };
    expect(labelMarkers(labels, score).map((x) => [x.shape, x.color, x.text])).toEqual([
      ['square', OUTCOME_COLORS.hit, 'L↑ hit'],
      ['circle', OUTCOME_COLORS.hit, 'hit'],
      ['square', OUTCOME_COLORS.miss, 'L↓ miss'],
      ['circle', OUTCOME_COLORS.extra, 'extra'],
    ]);
  });
});
