import type { SeriesMarker, Time } from 'lightweight-charts';
import { describe, expect, it } from 'vitest';
import { clusterMarkers, clusterSpanBars, MIN_MARKER_GAP_PX } from './marker-clusters.ts';

const up = (id: string, time: number): SeriesMarker<Time> => ({
  id,
  time: time as Time,
  position: 'belowBar',
  shape: 'arrowUp',
  color: 'blue',
});
const down = (id: string, time: number): SeriesMarker<Time> => ({
  id,
  time: time as Time,
  position: 'aboveBar',
  shape: 'arrowDown',
  color: 'orange',
});
/** One bar a minute. */
const index = (time: Time): number => (time as number) / 60;

describe('clusterMarkers', () => {
  it('leaves markers alone when bars are wide enough to keep them apart', () => {
    const markers = [up('a', 0), up('b', 60), down('c', 120)];
    const { markers: drawn, members } = clusterMarkers(markers, index, MIN_MARKER_GAP_PX);
    expect(drawn).toEqual(markers);
    expect(members.get('b')).toEqual(['b']);
  });

  it('draws markers of one kind that would overlap as one, labelled with their count', () => {
    const markers = [up('a', 0), down('x', 60), up('b', 60), up('c', 120), up('d', 600)];
    // 2 px per bar: a marker needs 7 bars to itself.
    const { markers: drawn, members } = clusterMarkers(markers, index, 2);
    expect(drawn.map((m) => [m.id, m.text])).toEqual([
      ['a', '×3'],
      ['x', undefined],
      ['d', undefined],
    ]);
    expect(members.get('a')).toEqual(['a', 'b', 'c']);
    expect(members.get('x')).toEqual(['x']);
  });

  it('starts a new cluster once a marker is a full span from the cluster start', () => {
    const span = clusterSpanBars(2);
    const markers = [up('a', 0), up('b', (span - 1) * 60), up('c', span * 60)];
    expect(clusterMarkers(markers, index, 2).markers.map((m) => m.id)).toEqual(['a', 'c']);
  });

  it('always merges markers of one kind on the same bar, and keeps a marker text', () => {
    const a = { ...up('a', 0), shape: 'circle' as const, text: 'buy' };
    const drawn = clusterMarkers([a, { ...a, id: 'b' }], index, 100).markers;
    expect(drawn).toHaveLength(1);
    expect(drawn[0]?.text).toBe('buy ×2');
  });

  it('never spans less than one bar', () => {
    expect(clusterSpanBars(0)).toBe(1);
    expect(clusterSpanBars(1_000)).toBe(1);
    expect(clusterSpanBars(6)).toBe(3);
  });
});
