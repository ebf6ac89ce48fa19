// Keeps signal markers readable at any zoom: markers of one kind (same lane, shape and colour) that
// would overlap at the current bar spacing are drawn as one marker carrying their count; hovering
// it names every signal in it. Pure.
import type { SeriesMarker, Time } from 'lightweight-charts';

/** Narrowest gap between two markers of one kind that still reads as two (an arrow of size 1.5
 * is about this wide). */
export const MIN_MARKER_GAP_PX = 14;

export interface ClusteredMarkers {
  readonly markers: SeriesMarker<Time>[];
  /** Drawn marker id → ids of the signal markers it stands for (itself included). */
  readonly members: ReadonlyMap<string, readonly string[]>;
}

/** Bars a cluster spans at `barSpacing` px per bar: markers closer than this share one. */
export function clusterSpanBars(barSpacing: number): number {
  if (!(barSpacing > 0)) return 1;
  return Math.max(1, Math.ceil(MIN_MARKER_GAP_PX / barSpacing));
}

const kindOf = (m: SeriesMarker<Time>): string => `${m.position}|${m.shape}|${m.color}`;

/**
 * `markers`: in time order (as the markers plugin wants them). `barIndex`: the logical index of a
 * marker's time on the chart (markers on the same bar share one). Each cluster is drawn as its first
 * marker, labelled with the count when it holds more than one.
 */
export function clusterMarkers(
  markers: readonly SeriesMarker<Time>[],
  barIndex: (time: Time) => number,
  barSpacing: number,
): ClusteredMarkers {
  const span = clusterSpanBars(barSpacing);
  const open = new Map<string, { first: SeriesMarker<Time>; startIndex: number; ids: string[] }>();
  const clusters: { first: SeriesMarker<Time>; ids: string[] }[] = [];
  for (const m of markers) {
    const kind = kindOf(m);
    const index = barIndex(m.time);
    const current = open.get(kind);
    if (current && index - current.startIndex < span) {
      current.ids.push(m.id ?? '');
      continue;
    }
    const cluster = { first: m, startIndex: index, ids: [m.id ?? ''] };
    open.set(kind, cluster);
    clusters.push(cluster);
  }
  const members = new Map<string, readonly string[]>();
  const out: SeriesMarker<Time>[] = [];
  for (const c of clusters) {
    const id = c.first.id ?? '';
    members.set(id, c.ids);
    if (c.ids.length === 1) out.push(c.first);
    else out.push({ ...c.first, text: c.first.text ? `${c.first.text} ×${c.ids.length}` : `×${c.ids.length}` });
  }
  return { markers: out, members };
}
